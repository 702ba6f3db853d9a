/**
 * Debian's Mosquitto as the yardstick, on a free loopback port, configured not to drop or
 * throttle QoS 1 bursts (no queue or in-flight limit), no persistence. Stopped by its PID.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/support/net.ts";
import { requireTools, track } from "./lib.ts";

export async function startMosquitto(dir: string) {
  requireTools({ mosquitto: "mosquitto" });
  const port = await freePort();
  const conf = join(dir, `mosquitto-${port}.conf`);
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence false",
      "max_queued_messages 0",
      "max_inflight_messages 0",
      "",
    ].join("\n"),
  );
  const { pid, stop } = await spawnListener(["mosquitto", "-c", conf], port);
  return { port, pid, url: `mqtt://127.0.0.1:${port}`, stop };
}

/**
 * Starts a server process (tracked, so a failed or interrupted run stops it) and resolves once
 * it accepts on `port`; a process that exits first, or never listens, is stopped and rejected.
 */
export async function spawnListener(cmd: string[], port: number) {
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe" });
  const untrack = track(proc);
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
    untrack();
  };
  await waitForPort(port, proc).catch(async (e) => {
    await stop();
    throw e;
  });
  return { pid: proc.pid, stop };
}

/** Resolves once something accepts on the loopback port; rejects if `proc` exits first. */
export async function waitForPort(
  port: number,
  proc: { exitCode: number | null; stderr?: unknown },
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      const err =
        proc.stderr instanceof ReadableStream ? await new Response(proc.stderr).text() : "";
      throw new Error(`exited ${proc.exitCode} before listening on ${port}: ${err.trim()}`);
    }
    const ok = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } }).then(
      (s) => (s.end(), true),
      () => false,
    );
    if (ok) return;
    await Bun.sleep(50);
  }
  throw new Error(`nothing listening on ${port} after ${timeoutMs} ms`);
}
