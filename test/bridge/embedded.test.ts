/**
 * Devices → embedded MQTT broker → bridge → embedded Kafka broker, all on real sockets, read
 * back with a kafkajs consumer: mapping, headers, at-least-once acks, bursts, dead letters.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { run } from "../support/run.ts";
import { useKafkaBroker } from "../support/kafka.ts";
import { tempDirs } from "../support/temp.ts";
import { readTopic } from "./read-topic.ts";
import { startBridgeStack } from "./stack.ts";

const kafka = useKafkaBroker("iot-bridge-kafka-");
const dirs = tempDirs("iot-bridge-");
let stack: Awaited<ReturnType<typeof startBridgeStack>>;
beforeAll(async () => {
  stack = await startBridgeStack(kafka.broker.address, dirs.make());
});
afterAll(async () => {
  await stack.stop();
  dirs.cleanup();
});

const connect = (clientId: string, protocolVersion: 4 | 5 = 4) =>
  mqtt.connectAsync(stack.url, { clientId, protocolVersion, reconnectPeriod: 0 });
const mosquittoPub = async (topic: string, message: string, qos = "1") => {
  const r = await run([
    "mosquitto_pub",
    "-p",
    String(stack.mqttPort),
    "-q",
    qos,
    "-t",
    topic,
    "-m",
    message,
  ]);
  expect(r.code).toBe(0);
};

describe("embedded bridge", () => {
  test("mqtt.js (3.1.1 and 5) and mosquitto_pub: records carry the key and headers", async () => {
    for (const [id, version] of [
      ["dev-v311", 4],
      ["dev-v5", 5],
    ] as const) {
      const c = await connect(id, version);
      await c.publishAsync(`iot/${id}/telemetry`, `{"temperature":${version}}`, { qos: 1 });
      await c.endAsync();
    }
    await mosquittoPub("iot/dev-mosq/telemetry", '{"temperature":3}');
    await mosquittoPub("coffee", '{"id":"3DF92-192","x":1,"y":2,"status":"Active"}');
    await mosquittoPub("hello/world", "42 3 2026-11-22 10:00:00", "0");

    const telemetry = await readTopic(kafka.broker.address, "iot.telemetry", 3);
    const byKey = Object.fromEntries(telemetry.map((r) => [r.key, r]));
    expect(Object.keys(byKey).sort()).toEqual(["dev-mosq", "dev-v311", "dev-v5"]);
    expect(byKey["dev-v5"]!.value.toString()).toBe('{"temperature":5}');
    expect(byKey["dev-v5"]!.headers).toMatchObject({
      mqtt_topic: "iot/dev-v5/telemetry",
      device_id: "dev-v5",
      received_at: expect.stringMatching(/^\d{13}$/),
    });
    const [coffee] = await readTopic(kafka.broker.address, "coffee", 1);
    expect(coffee).toMatchObject({ key: "3DF92-192", headers: { mqtt_topic: "coffee" } });
    const [bin] = await readTopic(kafka.broker.address, "hello.world", 1);
    expect(bin!.key).toBeNull();
    expect(bin!.value.toString()).toBe("42 3 2026-11-22 10:00:00");
  }, 60_000);

  test("the PUBACK arrives only after Kafka acknowledged the record", async () => {
    const c = await connect("ack-order");
    const sentBefore = stack.bridge.counts().sent;
    let sentAtPuback = -1;
    await c
      .publishAsync("iot/ack-order/telemetry", "{}", { qos: 1 })
      .then(() => (sentAtPuback = stack.bridge.counts().sent));
    expect(sentAtPuback).toBe(sentBefore + 1);
    await c.endAsync();
  });

  test("a QoS 1 burst of 2,000 messages from 4 clients all lands, none twice, in order", async () => {
    const clients = await Promise.all([0, 1, 2, 3].map((i) => connect(`burst-${i}`)));
    await Promise.all(
      clients.flatMap((c, ci) =>
        Array.from({ length: 500 }, (_, n) =>
          c.publishAsync(`iot/burst-${ci}/telemetry`, JSON.stringify({ n }), { qos: 1 }),
        ),
      ),
    );
    await Promise.all(clients.map((c) => c.endAsync()));
    const records = (await readTopic(kafka.broker.address, "iot.telemetry", 2000 + 4)).filter((r) =>
      r.key?.startsWith("burst-"),
    );
    expect(records).toHaveLength(2000);
    for (let ci = 0; ci < 4; ci++) {
      const seq = records
        .filter((r) => r.key === `burst-${ci}`)
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((r) => (JSON.parse(r.value.toString()) as { n: number }).n);
      expect(seq).toEqual(Array.from({ length: 500 }, (_, n) => n)); // one key, one partition
    }
  }, 60_000);

  test("big payloads: a burst of 100 KB images lands; one over Kafka's limit is dead-lettered", async () => {
    const c = await connect("cam-big", 5);
    const image = (n: number) => Buffer.alloc(100_000, n);
    await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        c.publishAsync("iot/cam-big/image", image(n), { qos: 1 }),
      ),
    ); // 20 MB: more than one Kafka request may carry
    await c.publishAsync("iot/cam-big/image", Buffer.alloc(9 << 20), { qos: 1 });
    await c.publishAsync("iot/cam-big/image", image(255), { qos: 1 });
    await c.endAsync();
    const images = await readTopic(kafka.broker.address, "iot.image", 201);
    expect(images).toHaveLength(201);
    expect(images.every((r) => r.value.length === 100_000)).toBe(true);
    const letters = await readTopic(kafka.broker.address, "iot.dead-letter", 1);
    const tooBig = letters.find((l) => l.headers.source === "mqtt:iot/cam-big/image")!;
    expect(tooBig.headers.reason).toMatch(/^payload of 9437184 bytes is over the \d+ limit$/);
    expect(tooBig.value.length).toBe(0);
    expect(tooBig.key).toBe("cam-big");
  }, 60_000);

  test("bad payloads go to the dead-letter topic with the reason; unmapped ones are counted", async () => {
    const before = stack.bridge.counts();
    await mosquittoPub("coffee", "{not json");
    await mosquittoPub("iot/dev-x/status", "online");
    await mosquittoPub("somewhere/else", "hi");
    const letters = (await readTopic(kafka.broker.address, "iot.dead-letter", 3)).filter(
      (l) => l.headers.source !== "mqtt:iot/cam-big/image",
    );
    expect(letters.map((l) => l.headers.source).sort()).toEqual([
      "mqtt:coffee",
      "mqtt:iot/dev-x/status",
    ]);
    const coffee = letters.find((l) => l.headers.source === "mqtt:coffee")!;
    expect(coffee.headers.reason).toStartWith("invalid JSON");
    expect(coffee.value.toString()).toBe("{not json");
    const after = stack.bridge.counts();
    expect(after.deadLettered - before.deadLettered).toBe(2);
    expect(after.unmapped - before.unmapped).toBe(1);
    expect(stack.metrics.render()).toMatch(/^iot_bridge_messages_total\{outcome="unmapped"\} 1$/m);
  }, 30_000);
});
