/**
 * A quiet `iot serve` hands its executable's clean code pages back to the kernel
 * (src/core/memory/page-out.ts): a few seconds after the start-up shrink, its file-backed RSS
 * (/proc/<pid>/status RssFile) falls well below what it was at ready, /metrics counts the bytes,
 * and it goes on serving. With --no-idle-page-out nothing is paged out. A quiet `iot device` does
 * the same and goes on reading.
 *
 * The server runs under its own copy of bun: the kernel leaves pages that another process also
 * maps (this test runner, the other bun processes on the machine) where they are, so with the
 * shared bun the drop would depend on who else runs.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startDeviceProcess } from "../support/device-process.ts";
import { freePort } from "../support/net.ts";
import { startServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-page-out-");
afterAll(() => dirs.cleanup());

let runtime: string;
beforeAll(() => {
  runtime = join(dirs.make(), "bun");
  copyFileSync(process.execPath, runtime);
  chmodSync(runtime, 0o755);
});

function rssKb(pid: number): { file: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { file: kb("RssFile"), anon: kb("RssAnon") };
}

async function metric(httpPort: number, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${httpPort}/metrics`).then((r) => r.text());
  const line = text.split("\n").find((l) => l.startsWith(name + " "));
  return line ? Number(line.split(" ")[1]) : 0;
}

async function serve(args: string[] = []) {
  return startServeProcess({
    dataDir: dirs.make(),
    args,
    command: [runtime, join(import.meta.dir, "../../src/main.ts")],
  });
}

test.if(process.platform === "linux")(
  "once quiet, the file-backed RSS drops and the server goes on serving",
  async () => {
    const s = await serve();
    try {
      const atReady = rssKb(s.proc.pid!);
      // ~12 s after start; asked once a second: /metrics 20 times a second was enough work to
      // keep the server from being quiet (30 s and more, in CI past the wait)
      await waitFor(
        async () => (await metric(s.httpPort, "iot_memory_paged_out_bytes_total")) > 0,
        60_000,
        "a page-out",
        1000,
      );
      const after = rssKb(s.proc.pid!);
      const counted = await metric(s.httpPort, "iot_memory_paged_out_bytes_total");
      // bun's code touched at start-up is tens of MB; the idle working set is a fraction of it
      expect(after.file).toBeLessThan(atReady.file * 0.75);
      expect(counted).toBeGreaterThan(4 * 1024 * 1024);
      // still serving: code paged out comes back from the file when it runs again
      expect((await fetch(`http://127.0.0.1:${s.httpPort}/healthz`)).status).toBe(200);
      const posted = await fetch(`http://127.0.0.1:${s.httpPort}/entrance`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "jane", value: "in" }),
      });
      expect(posted.status).toBeLessThan(300);
    } finally {
      await s.stop();
    }
  },
  100_000,
);

test.if(process.platform === "linux")(
  "with --no-idle-page-out the shrink still runs and nothing is paged out",
  async () => {
    const s = await serve(["--no-idle-page-out"]);
    try {
      const atReady = rssKb(s.proc.pid!);
      await waitFor(
        async () => (await metric(s.httpPort, "iot_memory_shrinks_total")) >= 1,
        40_000,
        "a shrink",
        1000,
      );
      await Bun.sleep(10_000); // past when the page-out would have come (two settling ticks + one)
      expect(await metric(s.httpPort, "iot_memory_paged_out_bytes_total")).toBe(0);
      expect(rssKb(s.proc.pid!).file).toBeGreaterThan(atReady.file * 0.9);
    } finally {
      await s.stop();
    }
  },
  90_000,
);

test.if(process.platform === "linux")(
  "a quiet iot device pages out too, and goes on reading",
  async () => {
    // no server: the agent queues into its outbox and retries, a device's quiet steady state
    const d = startDeviceProcess(
      [
        ...["--id", "page-out", "--server", `mqtt://127.0.0.1:${await freePort()}`],
        ...["--data-dir", dirs.make(), "--sensor", "sim", "--camera", "off"],
        ...["--read-interval", "1"],
      ],
      [runtime, join(import.meta.dir, "../../src/main.ts")],
    );
    try {
      await d.waitForLine(/queued kind=telemetry/);
      const atStart = rssKb(d.proc.pid!);
      await d.waitForLine(/paged out/, 60_000);
      expect(rssKb(d.proc.pid!).file).toBeLessThan(atStart.file * 0.75);
      await d.waitForLine(/queued kind=telemetry/, 10_000, d.lines.length);
    } finally {
      await d.stop();
    }
  },
  90_000,
);
