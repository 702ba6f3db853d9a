/**
 * The embedded MQTT broker on a real port with real clients: mqtt.js (3.1.1 and 5),
 * mosquitto_sub, and a raw socket for a 100 MB PUBLISH.
 */
import { afterEach, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { connect } from "node:net";
import type { MetricsRegistry } from "../../src/metrics/index.ts";
import type { MqttBroker, MqttBrokerOptions } from "../../src/mqtt/index.ts";
import { startLoopbackMqttBroker } from "../support/mqtt-broker.ts";
import { remainingLength } from "../support/mqtt-frames.ts";
import { run } from "../support/run.ts";

let broker: MqttBroker | undefined;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker?.stop();
  broker = undefined;
});

async function start(opts: Partial<MqttBrokerOptions> = {}) {
  const started = await startLoopbackMqttBroker(opts);
  broker = started.broker;
  return started;
}

async function client(url: string, opts: mqtt.IClientOptions = {}) {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...opts });
  clients.push(c);
  return c;
}

const metric = (m: MetricsRegistry, line: string) =>
  Number(new RegExp(`^${line.replace(/[{}"]/g, "\\$&")} (\\d+)$`, "m").exec(m.render())?.[1]);

describe("embedded MQTT broker", () => {
  test("MQTT 3.1.1 and 5 clients exchange messages; clients, messages and bytes are counted", async () => {
    const { metrics, url } = await start();
    const sub = await client(url, { protocolVersion: 5 });
    const got: string[] = [];
    sub.on("message", (topic, payload) => got.push(`${topic}=${payload}`));
    await sub.subscribeAsync("iot/#", { qos: 1 });
    const pub = await client(url, { protocolVersion: 4 });
    await pub.publishAsync("iot/a/telemetry", "12345", { qos: 1 });
    await pub.publishAsync("iot/b/telemetry", "678", { qos: 0 });
    for (let i = 0; i < 100 && got.length < 2; i++) await Bun.sleep(10);
    expect(got.sort()).toEqual(["iot/a/telemetry=12345", "iot/b/telemetry=678"]);
    expect(metric(metrics, "iot_mqtt_clients")).toBe(2);
    expect(metric(metrics, "iot_mqtt_messages_in_total")).toBe(2);
    expect(metric(metrics, "iot_mqtt_bytes_in_total")).toBe(8);
  });

  test("a retained command sent with publish() reaches a subscriber that comes later", async () => {
    const { broker, url } = await start();
    await broker.publish("iot/pi-1/command", "Inactive", { qos: 1, retain: true });
    await broker.publish("iot/pi-1/command", "Active", { qos: 1, retain: true });
    const late = await client(url);
    const first = new Promise<string>((resolve) =>
      late.once("message", (_t, payload, packet) => resolve(`${payload} retain=${packet.retain}`)),
    );
    await late.subscribeAsync("iot/pi-1/command", { qos: 1 });
    expect(await first).toBe("Active retain=true");
    const sub = await run(
      ["mosquitto_sub", "-p", String(broker.port), "-t", "iot/pi-1/command", "-C", "1", "-W", "5"],
      { timeoutMs: 10_000 },
    );
    expect(sub.stdout.trim()).toBe("Active");
  });

  test("a 100 MB PUBLISH is refused before it is buffered; others are still served", async () => {
    const { broker, metrics, url } = await start({ maxPacketBytes: 16 << 20 });
    const other = await client(url);
    // raw MQTT 3.1.1: CONNECT, then a PUBLISH header announcing 100 MB, then its body in 1 MB steps
    const socket = connect(broker.port, "127.0.0.1");
    socket.resume();
    let closed = false;
    socket.on("close", () => (closed = true));
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    // CONNECT: "MQTT", level 4, clean session, keepalive 60, client id "bi"
    socket.write(Buffer.from([0x10, 14, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, 0, 2, 98, 105]));
    await Bun.sleep(50);
    const size = 100 << 20;
    socket.write(Buffer.from([0x30, ...remainingLength(size), 0, 1, 0x78]));
    const chunk = Buffer.alloc(1 << 20);
    let sent = 0;
    while (!closed && sent < size) {
      socket.write(chunk);
      sent += chunk.length;
      await Bun.sleep(5);
    }
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(size / 4);
    expect(metric(metrics, 'iot_mqtt_refused_total{reason="packet too large"}')).toBe(1);
    await other.publishAsync("iot/ok/telemetry", "{}", { qos: 1 });
    expect(broker.clients()).toBe(1);
  });

  test("an MQTT 5 client is told the limit and disconnected with 0x95 when over it", async () => {
    const { url } = await start({ maxPacketBytes: 1024 });
    const c = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0 });
    clients.push(c);
    const connack = await new Promise<mqtt.IConnackPacket>((resolve) => c.once("connect", resolve));
    expect(connack.properties?.maximumPacketSize).toBe(1024);
    const disconnect = new Promise<number | undefined>((resolve) =>
      c.once("disconnect", (packet) => resolve(packet.reasonCode)),
    );
    c.publish("iot/a/image", Buffer.alloc(4096), { qos: 1 });
    expect(await disconnect).toBe(0x95);
  });

  test("authenticate and allowPublish: bad tokens and foreign topics are refused", async () => {
    const { url } = await start({
      authenticate: (user, password) => (password === `token-of-${user}` ? user! : null),
      allowPublish: (user, topic) => topic.startsWith(`iot/${user}/`),
    });
    await expect(
      mqtt.connectAsync(url, { username: "pi-1", password: "wrong", reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password/i);
    const v5 = await client(url, {
      protocolVersion: 5,
      username: "pi-1",
      password: "token-of-pi-1",
    });
    await v5.publishAsync("iot/pi-1/telemetry", "{}", { qos: 1 });
    await expect(v5.publishAsync("iot/pi-2/telemetry", "{}", { qos: 1 })).rejects.toThrow(
      /not authorized|135/i,
    );
    const v4 = await client(url, { username: "pi-1", password: "token-of-pi-1" });
    const closed = new Promise((resolve) => v4.once("close", () => resolve(true)));
    v4.publish("iot/pi-2/telemetry", "{}", { qos: 1 });
    await closed; // MQTT 3.1.1 has no negative PUBACK: the connection is closed
  });

  test("onPublish holds the PUBACK until it is done; an error closes without PUBACK", async () => {
    let release!: () => void;
    let calls = 0;
    const { url } = await start({
      onPublish: (_packet, _client, done) => {
        calls++;
        if (calls === 2) return done(new Error("kafka and disk both gone"));
        release = done;
      },
    });
    const c = await client(url);
    let acked = false;
    const ack = c.publishAsync("iot/a/telemetry", "{}", { qos: 1 }).then(() => (acked = true));
    await Bun.sleep(100);
    expect(calls).toBe(1);
    expect(acked).toBe(false);
    release();
    await ack;

    const closed = new Promise((resolve) => c.once("close", () => resolve(true)));
    let acked2 = false;
    c.publish("iot/a/telemetry", "{}", { qos: 1 }, () => (acked2 = true));
    await closed;
    expect(calls).toBe(2);
    expect(acked2).toBe(false);
  });
});
