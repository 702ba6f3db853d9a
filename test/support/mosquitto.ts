import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./net.ts";

/**
 * Debian's Mosquitto on a free loopback port, stopped by its PID. `extra` lines are added to its
 * configuration (they apply to the listener: TLS files, a password file, logging).
 */
export async function startMosquitto(dir: string, extra: string[] = []) {
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence false",
      "max_queued_messages 0",
      ...extra,
      "",
    ].join("\n"),
  );
  const proc = Bun.spawn(["mosquitto", "-c", conf], { stdout: "ignore", stderr: "ignore" });
  for (let i = 0; i < 100; i++) {
    const ok = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } }).then(
      (s) => (s.end(), true),
      () => false,
    );
    if (ok) break;
    await Bun.sleep(50);
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
