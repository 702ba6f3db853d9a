/**
 * Kafka unreachable: the bridge acknowledges QoS 1 publishes once they are fsynced in its disk
 * spool, counts them, and drains them in order when Kafka is back — nothing acknowledged is lost.
 * Kafka here is another `iot serve` (role brokers) that the test stops and restarts.
 */
import { afterAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { freePort } from "../support/net.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-outage-");
afterAll(() => dirs.cleanup());

describe("Kafka outage", () => {
  test("publishes during the outage are spooled, acknowledged, then stored in order", async () => {
    const kafkaDir = dirs.make();
    const kafkaPorts = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
    let kafka: ServeProcess = await startServeProcess({
      dataDir: kafkaDir,
      role: "brokers",
      ports: kafkaPorts,
    });
    const app = await startServeProcess({
      dataDir: dirs.make(),
      args: ["--kafka-brokers", kafka.kafkaAddress],
    });
    const http = `http://127.0.0.1:${app.httpPort}`;
    const readings = async () =>
      (await (await fetch(`${http}/api/readings?device_id=outage&limit=1000`)).json()) as Array<{
        id: number;
        ts_ms: number;
      }>;
    const metric = async (name: string) => {
      const text = await (await fetch(`${http}/metrics`)).text();
      return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, "m").exec(text)?.[1] ?? 0);
    };
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${app.mqttPort}`, {
      clientId: "outage",
    });
    const publish = (from: number, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          client.publishAsync(
            "iot/outage/telemetry",
            JSON.stringify({ ts: 1_900_000_000_000 + from + i, temperature: 20 }),
            { qos: 1 },
          ),
        ),
      );
    try {
      await publish(0, 50);
      await waitFor(async () => (await readings()).length === 50, 20_000, "50 before the outage");

      kafka.proc.kill("SIGKILL");
      await kafka.proc.exited;
      await publish(50, 200); // every PUBACK arrives: the records are on disk
      expect(await metric("iot_bridge_spool_records")).toBeGreaterThan(0);

      kafka = await startServeProcess({ dataDir: kafkaDir, role: "brokers", ports: kafkaPorts });
      await waitFor(
        async () => (await readings()).length === 250,
        60_000,
        "all 250 after the outage",
      );
      expect(await metric("iot_bridge_spool_records")).toBe(0);
      // stored in the order published (row ids follow Kafka offsets), none lost, none twice
      const inStoreOrder = (await readings())
        .sort((a, b) => a.id - b.id)
        .map((r) => r.ts_ms - 1_900_000_000_000);
      expect(inStoreOrder).toEqual(Array.from({ length: 250 }, (_, i) => i));
    } finally {
      await client.endAsync();
      await app.stop();
      await kafka.stop();
    }
  }, 150_000);
});
