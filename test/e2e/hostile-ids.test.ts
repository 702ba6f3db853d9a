/**
 * Ids and topics that would break MQTT subscribers or the data dir, at every door of a real
 * `iot serve`: `POST /status/<id>` (400, and no retained command on a wildcard or NUL topic),
 * MQTT PUBLISH topics with NUL, ill-formed UTF-8 or wildcards (refused; an `#` subscriber is
 * never disconnected), device ids outside the grammar on MQTT topics, payloads and Kafka keys
 * (dead letters with the reason), and `..` as a camera id (no file outside the images dir).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import mqtt, { type MqttClient } from "mqtt";
import { connect } from "node:net";
import { readdirSync } from "node:fs";
import { readTopic } from "../bridge/read-topic.ts";
import { tinyJpeg } from "../support/jpeg.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-hostile-ids-");
let dataDir: string;
const iot = { serve: undefined as unknown as ServeProcess, http: "" };
beforeAll(async () => {
  dataDir = dirs.make();
  iot.serve = await startServeProcess({ dataDir });
  iot.http = `http://127.0.0.1:${iot.serve.httpPort}`;
}, 60_000);
afterAll(async () => {
  await iot.serve?.stop();
  dirs.cleanup();
});
const mqttUrl = () => `mqtt://127.0.0.1:${iot.serve.mqttPort}`;

/** A client on `#` that records what it gets and whether it was ever cut off. */
async function watcher(clientId: string) {
  const client = await mqtt.connectAsync(mqttUrl(), { clientId, reconnectPeriod: 0 });
  const seen: string[] = [];
  let closed = 0;
  client.on("message", (topic) => seen.push(topic));
  client.on("close", () => closed++);
  await client.subscribeAsync("#", { qos: 1 });
  return { client, seen, closed: () => closed };
}

/** CONNECT then one retained QoS 0 PUBLISH whose topic is these raw bytes, over plain TCP. */
async function rawRetainedPublish(topic: Buffer) {
  const id = Buffer.from("raw-utf8");
  const connectBody = Buffer.concat([
    Buffer.from([0, 4, ...Buffer.from("MQTT"), 4, 2, 0, 30, 0, id.length]),
    id,
  ]);
  const publishBody = Buffer.concat([Buffer.from([0, topic.length]), topic, Buffer.from("x")]);
  const socket = connect(iot.serve.mqttPort, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {});
  socket.write(Buffer.concat([Buffer.from([0x10, connectBody.length]), connectBody]));
  socket.write(Buffer.concat([Buffer.from([0x31, publishBody.length]), publishBody]));
  // the broker closes it (a protocol violation, [MQTT-1.5.4-1]) or at least drops the message
  await Promise.race([closed, Bun.sleep(1000)]);
  socket.destroy();
}

describe("ids that break MQTT and the disk", () => {
  test("POST /status/<id>: +, #, NUL, / and CR are 400 with the reason; no command is published", async () => {
    const w = await watcher("status-watcher");
    for (const raw of ["%2B", "%23", "%00", "a%2Fb", "a%0Db", "-x", "x".repeat(129)]) {
      const res = await fetch(`${iot.http}/status/${raw}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "Active" }),
      });
      const body = await res.json();
      expect({ raw, status: res.status, why: /^device_id: /.test(body.message) }).toEqual({
        raw,
        status: 400,
        why: true,
      });
    }
    // the seeds' ids still work
    for (const id of ["3DF92-192", "0", "pi-1"]) {
      const res = await fetch(`${iot.http}/status/${id}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "Inactive" }),
      });
      expect(await res.json()).toEqual({ message: `Status of ${id} updated to Inactive` });
    }
    await Bun.sleep(500);
    expect(w.seen.filter((t) => !/^iot\/(3DF92-192|0|pi-1)\/command$/.test(t))).toEqual([]);
    // a later subscriber gets no retained message on a broken topic and is not cut off
    const late = await watcher("late-watcher");
    await Bun.sleep(700);
    expect(late.seen.filter((t) => !/^iot\/(3DF92-192|0|pi-1)\/command$/.test(t))).toEqual([]);
    expect([w.closed(), late.closed()]).toEqual([0, 0]);
    await w.client.endAsync();
    await late.client.endAsync();
  }, 60_000);

  test("MQTT: NUL, ill-formed UTF-8 and wildcards in a topic close that publisher only; nothing is retained", async () => {
    const w = await watcher("topic-watcher");
    for (const topic of ["iot/a\0b/status", "iot/+/command", "iot/#"]) {
      const bad: MqttClient = await mqtt.connectAsync(mqttUrl(), { reconnectPeriod: 0 });
      const closed = new Promise<string>((resolve) => bad.once("close", () => resolve("closed")));
      bad.on("error", () => {});
      bad.publish(topic, "Active", { qos: 1, retain: true });
      expect({
        topic,
        outcome: await Promise.race([closed, Bun.sleep(3000).then(() => "open")]),
      }).toEqual({
        topic,
        outcome: "closed",
      });
      bad.end(true);
    }
    await rawRetainedPublish(
      Buffer.from([...Buffer.from("iot/"), 0xff, 0xfe, ...Buffer.from("/x")]),
    );
    const late = await watcher("late-topic-watcher");
    await Bun.sleep(700);
    const broken = (t: string) => /[\0+#\uFFFD]/.test(t);
    expect([...w.seen, ...late.seen].filter(broken)).toEqual([]);
    expect([w.closed(), late.closed()]).toEqual([0, 0]);
    await w.client.endAsync();
    await late.client.endAsync();
  }, 60_000);

  test("device ids outside the grammar — MQTT topic, coffee id, Kafka key, m_id — are dead letters; no file outside images/", async () => {
    const client = await mqtt.connectAsync(mqttUrl(), { reconnectPeriod: 0 });
    await client.publishAsync("iot/-dash/telemetry", '{"temperature":1,"case":"topic"}', {
      qos: 1,
    });
    await client.publishAsync("coffee", '{"id":"a\\rb","x":1,"y":2,"case":"coffee"}', { qos: 1 });
    await client.endAsync();
    const kafka = new Kafka({ brokers: [iot.serve.kafkaAddress], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: "iot.telemetry",
      messages: [{ key: "..", value: '{"temperature":2,"case":"key"}' }],
    });
    await producer.send({ topic: "iot.image", messages: [{ key: "..", value: tinyJpeg(1) }] });
    const photo = tinyJpeg(2).toString("base64");
    await producer.send({
      topic: "imgtest",
      messages: [{ value: JSON.stringify({ m_id: "..", datetime: "2026-11-22 10:00:00", photo }) }],
    });
    await producer.disconnect();

    const letters = await readTopic(iot.serve.kafkaAddress, "iot.dead-letter", 5, 30_000);
    const reasons = letters.map((l) => l.headers.reason ?? "");
    expect(reasons).toHaveLength(5);
    for (const r of reasons) expect(r).toContain("is not a device id");
    // nothing landed in the data dir's root, nor anywhere but images/<id>/
    expect(readdirSync(dataDir).filter((f) => f.endsWith(".jpg"))).toEqual([]);
    const readings = await (await fetch(`${iot.http}/api/readings`)).json();
    expect(
      readings.filter((r: { device_id: string }) => ["-dash", ".."].includes(r.device_id)),
    ).toEqual([]);
  }, 60_000);
});
