/**
 * Message identity end to end, through a real `iot serve`: a message sent twice — over MQTT 5
 * with a `msg_id` user property, over MQTT 3.1.1 with a `msg_id` JSON field, straight to Kafka
 * with a `msg_id` header — is two Kafka records and one row. Each check publishes a later
 * "sentinel" message on the same device (same partition, so the sink handles it after the
 * duplicate) and counts rows only once the sentinel is stored.
 */
import { describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { tinyJpeg } from "../support/jpeg.ts";
import { kcatRead } from "../support/kcat.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { waitFor } from "../support/wait.ts";

const iot = useServeProcess("iot-identity-");
type Row = { id: number; ts_ms: number; msg_id: string | null };
const api = async (path: string) => (await (await fetch(`${iot.http}${path}`)).json()) as Row[];
const until = (path: string, done: (rows: Row[]) => boolean, what: string) =>
  waitFor(async () => done(await api(path)), 30_000, what);
const reading = (msgId: string, ts: number) =>
  JSON.stringify({ msg_id: msgId, ts, temperature: 21, humidity: 40 });

describe("one message, one row", () => {
  test("MQTT 5: the same msg_id user property twice → two Kafka records, one reading", async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${iot.serve.mqttPort}`, {
      protocolVersion: 5,
      clientId: "id-m5",
    });
    const publish = (msgId: string, ts: number) =>
      client.publishAsync("iot/id-m5/telemetry", JSON.stringify({ ts, temperature: 21 }), {
        qos: 1,
        properties: { userProperties: { msg_id: msgId, site: "lab" } },
      });
    await publish("m5-a", 1_800_000_000_000);
    await publish("m5-a", 1_800_000_000_000); // e.g. resent after a lost PUBACK
    await publish("m5-sentinel", 1_800_000_000_001);
    await client.endAsync();
    const path = "/api/readings?device_id=id-m5";
    await until(path, (r) => r.some((x) => x.msg_id === "m5-sentinel"), "the sentinel");
    expect((await api(path)).map((r) => r.msg_id).sort()).toEqual(["m5-a", "m5-sentinel"]);
    // the bridge did send both copies, each with the device's id and its user properties
    const inKafka = (
      await kcatRead(iot.serve.kafkaAddress, "iot.telemetry", { format: "%k|%h\\n" })
    ).filter((l) => l.startsWith("id-m5|"));
    expect(inKafka).toHaveLength(3);
    for (const line of inKafka) expect(line).toContain("site=lab");
    expect(inKafka.filter((l) => l.includes("msg_id=m5-a"))).toHaveLength(2);
  });

  test("MQTT 3.1.1: the payload's msg_id field is the identity", async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${iot.serve.mqttPort}`, {
      protocolVersion: 4,
      clientId: "id-m4",
    });
    for (const [msgId, ts] of [
      ["m4-a", 1_800_000_000_000],
      ["m4-a", 1_800_000_000_000],
      ["m4-sentinel", 1_800_000_000_001],
    ] as const)
      await client.publishAsync("iot/id-m4/telemetry", reading(msgId, ts), { qos: 1 });
    await client.endAsync();
    const path = "/api/readings?device_id=id-m4";
    await until(path, (r) => r.some((x) => x.msg_id === "m4-sentinel"), "the sentinel");
    expect((await api(path)).map((r) => r.msg_id).sort()).toEqual(["m4-a", "m4-sentinel"]);
  });

  test("Kafka direct (kafkajs): the same record twice with a msg_id header → one reading", async () => {
    const kafka = new Kafka({
      brokers: [iot.serve.kafkaAddress],
      clientId: "id-kafka",
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const record = (msgId: string, ts: number) => ({
      key: "id-k",
      value: reading(msgId, ts),
      headers: { msg_id: msgId },
    });
    try {
      await producer.send({ topic: "iot.telemetry", messages: [record("k-a", 1_800_000_000_000)] });
      await producer.send({ topic: "iot.telemetry", messages: [record("k-a", 1_800_000_000_000)] });
      await producer.send({
        topic: "iot.telemetry",
        messages: [record("k-sentinel", 1_800_000_000_001)],
      });
    } finally {
      await producer.disconnect();
    }
    const path = "/api/readings?device_id=id-k";
    await until(path, (r) => r.some((x) => x.msg_id === "k-sentinel"), "the sentinel");
    expect((await api(path)).map((r) => r.msg_id).sort()).toEqual(["k-a", "k-sentinel"]);
  });

  test("an image with captured_at is stored at that time, once", async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${iot.serve.mqttPort}`, {
      protocolVersion: 5,
      clientId: "id-cam",
    });
    const capturedAt = 1_790_000_000_123;
    const publish = (msgId: string, tag: number) =>
      client.publishAsync("iot/id-cam/image", tinyJpeg(tag), {
        qos: 1,
        properties: { userProperties: { msg_id: msgId, captured_at: String(capturedAt + tag) } },
      });
    await publish("img-a", 0);
    await publish("img-a", 0);
    await publish("img-sentinel", 1);
    await client.endAsync();
    const path = "/api/images?device_id=id-cam";
    await until(path, (r) => r.some((x) => x.msg_id === "img-sentinel"), "the sentinel");
    const rows = (await api(path)).sort((a, b) => a.ts_ms - b.ts_ms);
    expect(rows.map(({ ts_ms, msg_id }) => ({ ts_ms, msg_id }))).toEqual([
      { ts_ms: capturedAt, msg_id: "img-a" },
      { ts_ms: capturedAt + 1, msg_id: "img-sentinel" },
    ]);
    const file = await fetch(`${iot.http}/images/${rows[0]!.id}.jpg`);
    expect(Buffer.from(await file.arrayBuffer()).equals(tinyJpeg(0))).toBe(true);
  });
});
