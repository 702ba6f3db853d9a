/**
 * Start-up does not wait on what /healthz does not need: a `--role consumers` process whose Kafka
 * is not there yet answers /healthz at once — degraded, its consumers "starting" — instead of
 * holding its listener back until the groups join. Once the broker comes up the consumers join
 * and the same process reports ok.
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";

const dirs = tempDirs("iot-not-waiting-");
afterAll(() => dirs.cleanup());

type Health = { status: string; components: Record<string, { state: string }> };

/** The first answer of /healthz, whatever its status code. */
async function firstHealth(url: string, proc: ReturnType<typeof Bun.spawn>): Promise<Health> {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`iot serve exited ${proc.exitCode}`);
    const res = await fetch(url).catch(() => null);
    if (res) return (await res.json()) as Health;
    await Bun.sleep(20);
  }
}

test("/healthz answers while the consumer groups cannot join yet, and is ok once they have", async () => {
  const dataDir = dirs.make();
  const kafkaPort = await freePort();
  const httpPort = await freePort();
  const consumers = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, "../../src/main.ts"),
      "serve",
      ...["--role", "consumers", "--data-dir", join(dataDir, "consumers")],
      ...["--http-port", String(httpPort), "--kafka-brokers", `127.0.0.1:${kafkaPort}`],
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  let brokers: ServeProcess | undefined;
  try {
    const url = `http://127.0.0.1:${httpPort}/healthz`;
    const first = await firstHealth(url, consumers);
    expect(first.components.store!.state).toBe("up");
    expect(first.components.consumers!.state).toBe("starting");
    expect(first.status).toBe("degraded");

    brokers = await startServeProcess({
      dataDir: join(dataDir, "brokers"),
      role: "brokers",
      ports: { http: await freePort(), kafka: kafkaPort, mqtt: await freePort() },
    });
    let now = first;
    while (now.status !== "ok") {
      await Bun.sleep(200);
      now = (await (await fetch(url)).json()) as Health;
    }
    expect(now.components.consumers!.state).toBe("up");
  } finally {
    consumers.kill("SIGTERM");
    await consumers.exited;
    await brokers?.stop();
  }
}, 60_000);
