/**
 * bench/dashboard-sse: 200 browsers' worth of live dashboard connections (`/events`), while
 * coffee devices move 10 times a second over MQTT. Reports the publish → SSE event latency seen
 * by the viewers and the server's memory (RSS) before, during and after.
 *
 *   bun bench/dashboard-sse.ts [--quick]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { percentile, root, startServe, table } from "./lib.ts";

const quick = process.argv.includes("--quick");
const viewers = 200;
const seconds = quick ? 10 : 60;
const dir = mkdtempSync(join(tmpdir(), "iot-bench-sse-"));
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

try {
  const serve = await startServe(join(dir, "data"), "all");
  const http = `http://127.0.0.1:${serve.ports.http}`;
  const idle = rssMb(serve.proc.pid);
  const latencies: number[] = [];
  const sent = new Map<number, number>(); // x position → publish time
  const abort = new AbortController();
  let connected = 0;
  const readers = Array.from({ length: viewers }, async () => {
    const res = await fetch(`${http}/events?view=devices`, { signal: abort.signal });
    connected++;
    const decoder = new TextDecoder();
    let buf = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const x = /data-x="(\d+)"/.exec(event);
          const t = x && sent.get(Number(x[1]));
          if (t) latencies.push(performance.now() - t);
        }
      }
    } catch {
      // aborted at the end
    }
  });
  while (connected < viewers) await Bun.sleep(20);
  const withViewers = rssMb(serve.proc.pid);
  const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.ports.mqtt}`);
  let peak = withViewers;
  for (let i = 1; i <= seconds * 10; i++) {
    sent.set(i, performance.now());
    await device.publishAsync(
      "coffee",
      JSON.stringify({ id: "bench-1", x: i, y: 1, status: "Active" }),
      { qos: 1 },
    );
    if (i % 10 === 0) peak = Math.max(peak, rssMb(serve.proc.pid));
    await Bun.sleep(100);
  }
  await Bun.sleep(1000);
  const after = rssMb(serve.proc.pid);
  abort.abort();
  await Promise.allSettled(readers);
  await device.endAsync();
  await serve.stop();
  latencies.sort((a, b) => a - b);
  const rows = [
    { measure: "viewers connected", value: viewers },
    { measure: "events seen by viewers", value: latencies.length },
    { measure: "publish → SSE event p50 ms", value: percentile(latencies, 50) },
    { measure: "publish → SSE event p99 ms", value: percentile(latencies, 99) },
    { measure: "server RSS idle MB", value: idle },
    { measure: `server RSS with ${viewers} viewers MB`, value: withViewers },
    { measure: `server RSS peak over ${seconds} s of updates MB`, value: peak },
    { measure: "server RSS at the end MB", value: after },
  ];
  console.log(table(rows));
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/dashboard-sse.json"),
    JSON.stringify({ at: new Date().toISOString(), quick, rows }, null, 2) + "\n",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
