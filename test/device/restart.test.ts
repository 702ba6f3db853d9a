/**
 * The outbox across a crash of the agent: readings taken while no server listens, the agent
 * killed with SIGKILL, the server started, the agent started again on the same data dir →
 * every reading the first run queued arrives, once, and new message ids do not collide.
 */
import { afterAll, expect, test } from "bun:test";
import { queued, startDeviceProcess } from "../support/device-process.ts";
import { freePort } from "../support/net.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-device-restart-");
let serve: ServeProcess | undefined;
afterAll(async () => {
  await serve?.stop();
  dirs.cleanup();
});

test("kill -9 with an undelivered outbox, restart: everything arrives once", async () => {
  const ports = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
  const dataDir = dirs.make();
  const args = [
    ...["--id", "pi-crash", "--server", `mqtt://127.0.0.1:${ports.mqtt}`, "--data-dir", dataDir],
    ...["--sensor", "sim", "--camera", "off", "--read-interval", "0.2"],
  ];
  const first = startDeviceProcess(args);
  await waitFor(() => queued(first.lines, "telemetry").length >= 10, 30_000, "10 queued");
  first.proc.kill("SIGKILL");
  await first.proc.exited;
  const before = queued(first.lines, "telemetry");
  const firstIds = first.lines
    .filter((l) => l.includes(" queued "))
    .map((l) => /msgId=(\S+)/.exec(l)![1]);

  serve = await startServeProcess({ dataDir: dirs.make(), ports });
  const second = startDeviceProcess(args);
  try {
    const line = await second.waitForLine(/started .*waiting=(\d+)/);
    expect(Number(/waiting=(\d+)/.exec(line)![1])).toBeGreaterThanOrEqual(before.length);
    const stored = async () =>
      (
        (await (
          await fetch(`http://127.0.0.1:${ports.http}/api/readings?device_id=pi-crash&limit=10000`)
        ).json()) as Array<{ ts_ms: number }>
      ).map((r) => r.ts_ms);
    await waitFor(
      async () => {
        const have = new Set(await stored());
        return before.every((ts) => have.has(ts));
      },
      60_000,
      "the first run's readings",
    );
    expect(await second.stop()).toBe(0);
    const everything = [...before, ...queued(second.lines, "telemetry")].sort((a, b) => a - b);
    // the agent's last readings were acknowledged (so it could stop) but the sink writes them a
    // moment later: wait for them rather than read the store once
    let all: number[] = [];
    await waitFor(
      async () => {
        all = await stored();
        const have = new Set(all);
        return everything.every((ts) => have.has(ts));
      },
      30_000,
      "every queued reading stored",
    ).catch(() => {});
    expect(new Set(all).size).toBe(all.length); // none twice
    const have = new Set(all);
    expect(everything.filter((ts) => !have.has(ts))).toEqual([]);
    // at most one more: appended by the first run in the instant before SIGKILL, not yet logged
    expect(all.length - everything.length).toBeLessThanOrEqual(1);
    const secondIds = second.lines
      .filter((l) => l.includes(" queued "))
      .map((l) => /msgId=(\S+)/.exec(l)![1]);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
  } finally {
    if (second.proc.exitCode === null) await second.stop();
  }
}, 120_000);
