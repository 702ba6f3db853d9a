/**
 * Hostile bytes at the MQTT and HTTP listeners of `iot serve` (a child process, so a crash is a
 * dead process). MQTT: packets mqtt.js really sent (CONNECT 3.1.1 and 5, PUBLISH QoS 0/1/2,
 * SUBSCRIBE, PINGREQ, DISCONNECT), captured through a recording proxy, then mutated; HTTP:
 * malformed requests on a raw socket. Seeded, bounded in count and time, loopback only.
 * Afterwards the server must still route a publish to a subscriber and through the bridge to
 * Kafka, and still answer HTTP.
 */
import { describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { connect } from "node:net";
import { readTopic } from "../bridge/read-topic.ts";
import { captureClientPackets, remainingLength } from "../support/mqtt-frames.ts";
import { seededRandom } from "../support/random.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { malformedHttp } from "../support/malformed-http.ts";

// --log-level error: thousands of refused clients are the expected outcome here
const iot = useServeProcess("iot-mqtt-fuzz-", { args: ["--log-level", "error"] });

/** What mqtt.js puts on the wire for a short session, once per protocol version. */
async function realPackets(): Promise<{ connects: Buffer[]; others: Buffer[] }> {
  const packets = await captureClientPackets(iot.serve.mqttPort, async (url) => {
    for (const protocolVersion of [4, 5] as const) {
      const c = await mqtt.connectAsync(url, {
        protocolVersion,
        clientId: `fz-${protocolVersion}`,
        keepalive: 1, // so a PINGREQ goes out while we wait below
        will: { topic: "fz/will", payload: Buffer.from("gone"), qos: 1, retain: false },
      });
      await c.subscribeAsync("fz/#", { qos: 2 });
      for (const qos of [0, 1, 2] as const) {
        await c.publishAsync(`iot/fz-${qos}/telemetry`, JSON.stringify({ temperature: qos }), {
          qos,
        });
      }
      await Bun.sleep(1600);
      await c.endAsync();
    }
  });
  const type = (p: Buffer) => p[0]! >> 4;
  expect(new Set(packets.map(type))).toEqual(new Set([1, 3, 6, 8, 12, 14])); // + PUBREL
  return {
    connects: packets.filter((p) => type(p) === 1),
    others: packets.filter((p) => type(p) !== 1),
  };
}

function mutate(packet: Buffer, rnd: () => number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const body = packet.subarray(1 + lengthBytes(packet));
  const f = Buffer.from(packet);
  switch (int(8)) {
    case 0: // flip a few bits anywhere
      for (let i = 0, n = 1 + int(4); i < n; i++) f[int(f.length)]! ^= 1 << int(8);
      return f;
    case 1: // truncated: the header promises more than comes
      return f.subarray(0, int(f.length));
    case 2: // honest length over a truncated or extended body
      return frame(
        f[0]!,
        int(2) ? body.subarray(0, int(body.length)) : Buffer.concat([body, noise(1 + int(40))]),
      );
    case 3: // remaining length of five continuation bytes (at most four are allowed)
      return Buffer.concat([Buffer.from([f[0]!, 0xff, 0xff, 0xff, 0xff, 0x7f]), body]);
    case 4: // a huge announced length, then only a little
      return Buffer.concat([
        Buffer.from([f[0]!, ...remainingLength(268_435_455 - int(1000))]),
        body,
      ]);
    case 5: // wrong packet type or reserved flags
      f[0] = (int(16) << 4) | int(16);
      return f;
    case 6: {
      // the first string's length prefix lies (protocol name, topic)
      const at = 1 + lengthBytes(packet);
      if (f.length >= at + 2) f.writeUInt16BE(int(65536), at);
      return f;
    }
    default:
      return noise(1 + int(300));
  }
}

function lengthBytes(packet: Buffer): number {
  let n = 1;
  while (packet[n]! & 0x80 && n < 4) n++;
  return n;
}

function frame(first: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([first, ...remainingLength(body.length)]), body]);
}

/** Writes one hostile session on its own connection, reads whatever comes back, then closes. */
function session(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1", () => s.write(bytes));
    s.on("error", () => {});
    s.on("data", () => {});
    s.setTimeout(100, () => s.destroy());
    s.on("close", () => resolve());
  });
}

describe("fuzzing the MQTT and HTTP listeners", () => {
  test("thousands of mutated MQTT sessions later the broker routes and bridges as before", async () => {
    const { connects, others } = await realPackets();
    const rnd = seededRandom(20261122);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const deadline = Date.now() + 25_000;
    let sessions = 0;
    while (sessions < 2000 && Date.now() < deadline) {
      const batch = Array.from({ length: 8 }, () => {
        // mostly a valid CONNECT first, so the mutations reach the packet handlers behind it
        const head = rnd() < 0.8 ? pick(connects) : mutate(pick(connects), rnd);
        const rest = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
          rnd() < 0.2 ? pick(others) : mutate(pick(others), rnd),
        );
        return Buffer.concat([head, ...rest]);
      });
      await Promise.all(batch.map((bytes) => session(iot.serve.mqttPort, bytes)));
      sessions += batch.length;
    }
    expect(sessions).toBeGreaterThan(400);
    expect(iot.serve.proc.exitCode).toBeNull();

    const url = `mqtt://127.0.0.1:${iot.serve.mqttPort}`;
    const sub = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => sub.once("message", (_t, p) => resolve(`${p}`)));
    await sub.subscribeAsync("iot/after-fuzz/telemetry", { qos: 1 });
    const pub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    const payload = JSON.stringify({ temperature: 21.5 });
    await pub.publishAsync("iot/after-fuzz/telemetry", payload, { qos: 1 });
    expect(await got).toBe(payload);
    await Promise.all([sub.endAsync(), pub.endAsync()]);
    const records = await readTopic(iot.serve.kafkaAddress, "iot.telemetry", 1);
    expect(records.filter((r) => r.key === "after-fuzz").map((r) => `${r.value}`)).toEqual([
      payload,
    ]);
    expect(iot.serve.proc.exitCode).toBeNull();
  }, 90_000);

  test("malformed HTTP on raw sockets: the server still answers and takes a POST", async () => {
    const rnd = seededRandom(5000);
    const requests = malformedHttp(rnd, 400);
    for (let i = 0; i < requests.length; i += 4) {
      await Promise.all(requests.slice(i, i + 4).map((r) => session(iot.serve.httpPort, r)));
    }
    expect(iot.serve.proc.exitCode).toBeNull();
    expect((await fetch(`${iot.http}/healthz`)).status).toBe(200);
    const ok = await fetch(`${iot.http}/entrance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "after-fuzz", value: "in" }),
    });
    expect(ok.status).toBe(200);
  }, 60_000);
});
