/**
 * The WAL checkpoint worker (a second JavaScript VM and thread, ~2.6 MB of RSS) is not part of
 * start-up: `iot serve` answers /healthz and idles without it, and starts it once readings put
 * something worth copying into the WAL (src/store/checkpointer.ts).
 */
import { afterAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import { tempDirs } from "../support/temp.ts";
import { startServeProcess } from "../support/serve-process.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-checkpoint-worker-");
afterAll(() => dirs.cleanup());

async function workerGauge(httpPort: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${httpPort}/metrics`).then((r) => r.text());
  const line = text.split("\n").find((l) => l.startsWith("iot_sqlite_checkpoint_worker "));
  if (!line) throw new Error("no iot_sqlite_checkpoint_worker in /metrics");
  return Number(line.split(" ")[1]);
}

test("/healthz answers before the checkpoint worker starts; readings start it", async () => {
  const serve = await startServeProcess({ dataDir: dirs.make() });
  try {
    const health = await fetch(`http://127.0.0.1:${serve.httpPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await workerGauge(serve.httpPort)).toBe(0);
    await Bun.sleep(1000); // start-up's own writes are not enough either
    expect(await workerGauge(serve.httpPort)).toBe(0);

    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
      clientId: "checkpoint-worker-test",
      reconnectPeriod: 0,
    });
    try {
      // readings of many devices, in many small rounds, until the WAL holds enough to copy
      await waitFor(
        async () => {
          const sent: Promise<unknown>[] = [];
          for (let i = 0; i < 200; i++)
            sent.push(
              c.publishAsync(
                `iot/dev-${i % 50}/telemetry`,
                JSON.stringify({ ts: Date.now(), temperature: 20 + (i % 7), humidity: 40 }),
                { qos: 1 },
              ),
            );
          await Promise.all(sent);
          return (await workerGauge(serve.httpPort)) === 1;
        },
        30_000,
        "the checkpoint worker to start",
      );
    } finally {
      await c.endAsync();
    }
  } finally {
    await serve.stop();
  }
}, 60_000);
