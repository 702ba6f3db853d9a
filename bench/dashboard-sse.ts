/**
 * bench/dashboard-sse: 200 browsers' worth of live dashboard connections (`/events`), while
 * coffee devices move 10 times a second over MQTT. Reports the publish → SSE event latency seen
 * by the viewers and the server's memory (RSS) before, during and after.
 *
 *   bun bench/dashboard-sse.ts [--quick]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { percentile, startServe, writeResult } from "./lib.ts";
import { snapshot } from "./proc.ts";
import { fmt } from "./stats.ts";

const quick = process.argv.includes("--quick");
const viewers = 200;
const seconds = quick ? 10 : 60;
const dir = mkdtempSync(join(tmpdir(), "iot-bench-sse-"));
const rssMb = (pid: number) => snapshot(pid).rssBytes / 1e6;

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
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const rows = [
    { measure: "viewers connected", value: fmt(viewers) },
    { measure: "events seen by viewers", value: fmt(latencies.length) },
    { measure: "publish → SSE event p50 ms", value: fmt(p50) },
    { measure: "publish → SSE event p99 ms", value: fmt(p99) },
    { measure: "server RSS idle MB", value: fmt(idle) },
    { measure: `server RSS with ${viewers} viewers MB`, value: fmt(withViewers) },
    { measure: `server RSS peak over ${seconds} s of updates MB`, value: fmt(peak) },
    { measure: "server RSS at the end MB", value: fmt(after) },
  ];
  writeResult({
    name: "dashboard-sse",
    title:
      `Live dashboard: ${viewers} SSE viewers of the Devices view while a coffee device moves ` +
      `10×/s over MQTT for ${seconds} s`,
    quick,
    tables: [{ caption: "Publish → SSE event and the server's memory", rows }],
    limits:
      "The view is re-rendered at most once per 250 ms and the same HTML goes to every viewer, so " +
      "the latency is mostly that batching window; memory grows with the viewers' sockets, not with " +
      "the update rate (each viewer holds at most one pending update).",
    headline: [
      {
        measure: `dashboard: ${viewers} live viewers, publish → SSE event p50 / p99`,
        iot: `${fmt(p50)} / ${fmt(p99)} ms, RSS peak ${fmt(peak)} MB`,
        yardstick: `the same server idle, no viewers: ${fmt(idle)} MB`,
        ratio: "—",
      },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
