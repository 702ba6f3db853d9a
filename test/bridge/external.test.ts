/**
 * `--mqtt-url`: the bridge as a persistent-session subscriber of Debian's Mosquitto (started by
 * the test, stopped by PID), acking each message only once Kafka (or the spool) has it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { connectExternal, startBridge, type Bridge } from "../../src/bridge/index.ts";
import { createKafka } from "../../src/core/kafka/index.ts";
import { kafkajsBus } from "../../src/bus/index.ts";
import { silentLogger } from "../../src/core/log/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { useKafkaBroker } from "../support/kafka.ts";
import { startMosquitto } from "../support/mosquitto.ts";
import { run } from "../support/run.ts";
import { tempDirs } from "../support/temp.ts";
import { readTopic } from "./read-topic.ts";

const kafkaBroker = useKafkaBroker("iot-ext-kafka-");
const dirs = tempDirs("iot-ext-bridge-");
const log = silentLogger;
let mosquitto: Awaited<ReturnType<typeof startMosquitto>>;
let bridge: Bridge;
beforeAll(async () => {
  mosquitto = await startMosquitto(dirs.make());
  const kafka = createKafka({ brokers: [kafkaBroker.broker.address], clientId: "ext", log });
  bridge = await startBridge({
    kafka: kafkajsBus(kafka),
    dataDir: dirs.make(),
    log,
    metrics: new MetricsRegistry(),
  });
});
afterAll(async () => {
  await bridge.stop();
  await mosquitto.stop();
  dirs.cleanup();
});

const telemetryOf = async (id: string, count: number) =>
  (await readTopic(kafkaBroker.broker.address, "iot.telemetry", count)).filter((r) => r.key === id);

describe("external MQTT broker (Mosquitto)", () => {
  test("mosquitto_pub and mqtt.js through Mosquitto land in Kafka with key and headers", async () => {
    const client = await connectExternal(mosquitto.url, bridge, log, undefined, {
      clientId: "bridge-a",
    });
    try {
      const pub = await run([
        "mosquitto_pub",
        "-p",
        String(mosquitto.port),
        "-q",
        "1",
        "-t",
        "iot/ext-1/telemetry",
        "-m",
        '{"temperature":1}',
      ]);
      expect(pub.code).toBe(0);
      const device = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
      await device.publishAsync("iot/ext-1/telemetry", '{"temperature":2}', { qos: 1 });
      await device.publishAsync("coffee", '{"id":"c-1","x":0,"y":0,"status":"Active"}', { qos: 0 });
      await device.endAsync();
      const records = await telemetryOf("ext-1", 2);
      expect(records.map((r) => r.value.toString()).sort()).toEqual([
        '{"temperature":1}',
        '{"temperature":2}',
      ]);
      expect(records[0]!.headers).toMatchObject({
        mqtt_topic: "iot/ext-1/telemetry",
        device_id: "ext-1",
      });
      const [coffee] = await readTopic(kafkaBroker.broker.address, "coffee", 1);
      expect(coffee!.key).toBe("c-1");
    } finally {
      await client.endAsync();
    }
  }, 30_000);

  test("MQTT 5 user properties pass through Mosquitto: msg_id and captured_at become headers", async () => {
    const client = await connectExternal(mosquitto.url, bridge, log, undefined, {
      clientId: "bridge-props",
    });
    try {
      const device = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5 });
      await device.publishAsync("iot/ext-props/telemetry", '{"temperature":3}', {
        qos: 1,
        properties: { userProperties: { msg_id: "ext-m-1", captured_at: "1800000000000" } },
      });
      // a 3.1.1 device: the JSON field, else an id the bridge makes up
      const old = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
      await old.publishAsync("iot/ext-props/telemetry", '{"msg_id":"ext-m-2","temperature":4}', {
        qos: 1,
      });
      await old.publishAsync("iot/ext-props/telemetry", '{"temperature":5}', { qos: 1 });
      await Promise.all([device.endAsync(), old.endAsync()]);
      const records = await telemetryOf("ext-props", 3);
      const byTemp = new Map(records.map((r) => [JSON.parse(r.value.toString()).temperature, r]));
      expect(byTemp.get(3)!.headers).toMatchObject({
        msg_id: "ext-m-1",
        captured_at: "1800000000000",
        device_id: "ext-props",
      });
      expect(byTemp.get(4)!.headers.msg_id).toBe("ext-m-2");
      expect(byTemp.get(5)!.headers.msg_id).toMatch(/^[\w-]+-[0-9a-z]+$/);
    } finally {
      await client.endAsync();
    }
  }, 30_000);

  test("messages sent while the bridge is away arrive when it is back, once each", async () => {
    let client = await connectExternal(mosquitto.url, bridge, log, undefined, {
      clientId: "bridge-b",
    });
    await client.endAsync();
    const device = await mqtt.connectAsync(mosquitto.url);
    for (let n = 0; n < 20; n++)
      await device.publishAsync("iot/away/telemetry", JSON.stringify({ n }), { qos: 1 });
    await device.endAsync();
    client = await connectExternal(mosquitto.url, bridge, log, undefined, {
      clientId: "bridge-b",
    });
    try {
      const records = await telemetryOf("away", 20);
      expect(records.map((r) => JSON.parse(r.value.toString()).n)).toEqual(
        Array.from({ length: 20 }, (_, n) => n),
      );
    } finally {
      await client.endAsync();
    }
  }, 30_000);

  test("a message the bridge never acked is delivered again after a reconnect", async () => {
    let seen = 0;
    const stuck: Bridge = { ...bridge, handle: () => (seen++, new Promise<void>(() => {})) };
    let client = await connectExternal(mosquitto.url, stuck, log, undefined, {
      clientId: "bridge-c",
    });
    const device = await mqtt.connectAsync(mosquitto.url);
    await device.publishAsync("iot/unacked/telemetry", '{"n":1}', { qos: 1 });
    await device.endAsync();
    for (let i = 0; i < 100 && seen === 0; i++) await Bun.sleep(20);
    expect(seen).toBe(1);
    await client.endAsync(true); // gone without a PUBACK
    client = await connectExternal(mosquitto.url, bridge, log, undefined, {
      clientId: "bridge-c",
    });
    try {
      const records = await telemetryOf("unacked", 1);
      expect(records.map((r) => r.value.toString())).toEqual(['{"n":1}']);
    } finally {
      await client.endAsync();
    }
  }, 30_000);
});
