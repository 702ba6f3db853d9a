/**
 * Kafka stops while devices publish: each PUBACK waits until the record is fsynced in the
 * bridge's spool; when Kafka is back the spool drains in order, nothing lost, nothing twice.
 * Then the bridge restarts while Kafka is down: the spool survives it.
 */
import { afterAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { startKafkaBroker, type KafkaBroker } from "../../src/kafka/broker/index.ts";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";
import { readTopic } from "./read-topic.ts";
import { startBridgeStack } from "./stack.ts";

const dirs = tempDirs("iot-bridge-outage-");
afterAll(() => dirs.cleanup());

describe("bridge during a Kafka outage", () => {
  test("acks once spooled, drains in order after, survives its own restart", async () => {
    const kafkaDir = dirs.make();
    const bridgeDir = dirs.make();
    const port = await freePort();
    const startKafka = () =>
      startKafkaBroker({ host: "127.0.0.1", port, dataDir: kafkaDir, defaultPartitions: 1 });
    let kafka: KafkaBroker | null = await startKafka();
    let stack = await startBridgeStack(kafka.address, bridgeDir, { fastFail: true });
    let client = await mqtt.connectAsync(stack.url, { clientId: "outage", reconnectPeriod: 0 });
    const publish = (n: number) =>
      client.publishAsync("iot/outage/telemetry", JSON.stringify({ n }), { qos: 1 });
    try {
      await publish(0);
      expect(stack.bridge.counts().sent).toBe(1);

      await kafka.stop();
      kafka = null;
      for (let n = 1; n <= 5; n++) {
        let spooledAtPuback = -1;
        await publish(n).then(() => (spooledAtPuback = stack.bridge.spooled()));
        expect(spooledAtPuback).toBe(n); // the PUBACK came once the record was on disk
      }
      expect(stack.bridge.health()).toMatchObject({ state: "down", detail: { spooled: 5 } });

      // the bridge itself restarts while Kafka is still down: the spool is reopened
      await client.endAsync();
      await stack.stop();
      stack = await startBridgeStack(`127.0.0.1:${port}`, bridgeDir, { fastFail: true });
      client = await mqtt.connectAsync(stack.url, { clientId: "outage", reconnectPeriod: 0 });
      expect(stack.bridge.spooled()).toBe(5);
      await publish(6); // joins the backlog behind the first five
      expect(stack.bridge.spooled()).toBe(6);

      kafka = await startKafka();
      await waitFor(() => stack.bridge.spooled() === 0, 30_000, "the spool to drain");
      await publish(7);
      expect(stack.bridge.health()).toMatchObject({ state: "up" });
      const records = await readTopic(kafka.address, "iot.telemetry", 8);
      const seq = records
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((r) => (JSON.parse(r.value.toString()) as { n: number }).n);
      expect(seq).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await client.endAsync();
      await stack.stop();
      await kafka?.stop();
    }
  }, 90_000);
});
