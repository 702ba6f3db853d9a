/**
 * At-least-once in, idempotent at the sink: a QoS 1 burst while the consumers process is
 * killed (-9) and restarted ends with every acknowledged reading stored exactly once.
 */
import { afterAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { startServeProcess } from "../support/serve-process.ts";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-once-");
afterAll(() => dirs.cleanup());

describe("exactly once in the store", () => {
  test("2,000 QoS 1 readings, consumers killed mid-burst and restarted: 2,000 rows, none twice", async () => {
    const dataDir = dirs.make();
    const brokers = await startServeProcess({ dataDir, role: "brokers" });
    const consumerPorts = () =>
      freePort().then((http) => ({ http, kafka: brokers.kafkaPort, mqtt: brokers.mqttPort }));
    let consumers = await startServeProcess({
      dataDir,
      role: "consumers",
      ports: await consumerPorts(),
    });
    const collector = await startServeProcess({
      dataDir,
      role: "collector",
      ports: await consumerPorts(),
    });
    const count = async () =>
      (await (
        await fetch(
          `http://127.0.0.1:${collector.httpPort}/api/readings?device_id=burst&limit=10000`,
        )
      ).json()) as Array<{ ts: number }>;
    try {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${brokers.mqttPort}`, {
        clientId: "burst",
      });
      const total = 2000;
      const publishing = (async () => {
        for (let i = 0; i < total; i += 50) {
          await Promise.all(
            Array.from({ length: 50 }, (_, j) =>
              client.publishAsync(
                "iot/burst/telemetry",
                JSON.stringify({ ts: 1_800_000_000_000 + i + j, temperature: 20 }),
                { qos: 1 },
              ),
            ),
          );
        }
      })();
      await waitFor(async () => (await count()).length > 200, 30_000, "some readings stored");
      consumers.proc.kill("SIGKILL");
      await consumers.proc.exited;
      await publishing; // every PUBACK received: all 2,000 are in Kafka
      await client.endAsync();
      consumers = await startServeProcess({
        dataDir,
        role: "consumers",
        ports: await consumerPorts(),
      });
      await waitFor(async () => (await count()).length >= total, 60_000, `${total} readings`);
      await Bun.sleep(1000); // nothing more may arrive
      const rows = await count();
      expect(rows).toHaveLength(total);
      expect(new Set(rows.map((r) => r.ts)).size).toBe(total);
    } finally {
      await consumers.stop();
      await collector.stop();
      await brokers.stop();
    }
  }, 120_000);
});
