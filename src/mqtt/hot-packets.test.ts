/**
 * Differential fuzzing: the same byte streams — real packets from mqtt-packet's generator,
 * MQTT 3.1.1 and 5 (every PUBLISH property, repeated user properties), some mutated, cut into
 * reads at random places — through mqtt-packet's parser alone and through the hot-packet
 * decoder in front of another one. Both must emit the very same packets (same fields, same
 * order of fields) and the same first error.
 */
import { describe, expect, test } from "bun:test";
import mqtt from "mqtt-packet";
import { seededRandom } from "../../test/support/random.ts";
import {
  CUT,
  decodeHotPacketsFirst,
  decodeOne,
  hotPacketCounts,
  maxCachedTopicBytes,
  newTopicCache,
  type MqttPacketParser,
} from "./hot-packets.ts";

type Rnd = () => number;
const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Rnd, xs: readonly T[]) => xs[int(rnd, xs.length)]!;
const words = ["iot", "dev-1", "telemetry", "é", "温度", "a b", "", "x".repeat(40)];
const bytes = (rnd: Rnd, n: number) => Buffer.from(Array.from({ length: n }, () => int(rnd, 256)));

function publishProperties(rnd: Rnd): Record<string, unknown> | undefined {
  if (rnd() < 0.4) return undefined;
  const p: Record<string, unknown> = {};
  if (rnd() < 0.3) p.payloadFormatIndicator = rnd() < 0.5;
  if (rnd() < 0.3) p.messageExpiryInterval = int(rnd, 2 ** 32);
  if (rnd() < 0.3) p.topicAlias = 1 + int(rnd, 10);
  if (rnd() < 0.3) p.responseTopic = pick(rnd, words) + "/r";
  if (rnd() < 0.3) p.correlationData = bytes(rnd, int(rnd, 20));
  if (rnd() < 0.3) p.contentType = pick(rnd, ["application/json", "", "text/plain"]);
  if (rnd() < 0.2)
    p.subscriptionIdentifier = rnd() < 0.5 ? 1 + int(rnd, 300000) : [1, 2 + int(rnd, 99)];
  if (rnd() < 0.5) {
    const u: Record<string, string | string[]> = {};
    for (let n = int(rnd, 4); n >= 0; n--) {
      const name = pick(rnd, ["msg_id", "unit", "a", "é"]);
      u[name] = rnd() < 0.3 ? [pick(rnd, words), pick(rnd, words)] : pick(rnd, words);
    }
    p.userProperties = u;
  }
  return p;
}

/** A session's packets as mqtt-packet writes them: CONNECT, then a mix weighted to PUBLISH. */
function session(rnd: Rnd): { version: 4 | 5; frames: Buffer[] } {
  const version = rnd() < 0.5 ? 4 : 5;
  const opts = { protocolVersion: version };
  const frames = [
    mqtt.generate(
      { cmd: "connect", protocolVersion: version, clientId: "c", keepalive: 0 } as never,
      opts,
    ),
  ];
  // most sessions are a device's: PUBLISH out, PUBACK for what it was sent
  const others = rnd() < 0.5 ? 0.2 : 0.02;
  for (let n = 1 + int(rnd, 40); n > 0; n--) {
    const r = rnd() < others ? 0.8 + rnd() * 0.2 : rnd() * 0.8;
    let packet: Record<string, unknown>;
    if (r < 0.6) {
      const qos = int(rnd, 3);
      packet = {
        cmd: "publish",
        topic: Array.from({ length: 1 + int(rnd, 3) }, () => pick(rnd, words)).join("/"),
        payload: rnd() < 0.01 ? bytes(rnd, 70_000 + int(rnd, 5000)) : bytes(rnd, int(rnd, 300)),
        qos,
        retain: rnd() < 0.2,
        dup: qos > 0 && rnd() < 0.2,
        ...(qos > 0 ? { messageId: 1 + int(rnd, 65535) } : {}),
        ...(version === 5 ? { properties: publishProperties(rnd) } : {}),
      };
    } else if (r < 0.8) {
      packet = { cmd: "puback", messageId: 1 + int(rnd, 65535) };
      if (version === 5 && rnd() < 0.3) packet.reasonCode = pick(rnd, [0, 16, 128, 135]);
      if (version === 5 && rnd() < 0.2)
        packet.properties = { reasonString: "why", userProperties: { a: ["1", "2"] } };
    } else if (r < 0.87) packet = { cmd: "pingreq" };
    else if (r < 0.94)
      packet = { cmd: "subscribe", messageId: 7, subscriptions: [{ topic: "a/#", qos: 1 }] };
    else packet = { cmd: "pubrel", messageId: 1 + int(rnd, 65535) };
    frames.push(mqtt.generate(packet as never, opts));
  }
  return { version, frames };
}

function mutate(stream: Buffer, rnd: Rnd): Buffer {
  const f = Buffer.from(stream);
  for (let n = 1 + int(rnd, 3); n > 0; n--) {
    const at = int(rnd, f.length);
    if (rnd() < 0.5) f[at]! ^= 1 << int(rnd, 8);
    else f[at] = int(rnd, 256);
  }
  return f;
}

/** What a parser emits for `chunks`, up to and including its first error. */
function run(chunks: Buffer[], front: boolean): string[] {
  const parser = mqtt.parser() as unknown as MqttPacketParser & {
    on(e: string, f: (x: unknown) => void): void;
  };
  if (front) expect(decodeHotPacketsFirst(parser)).toBe(true);
  const out: string[] = [];
  let failed = false;
  parser.on("packet", (p) => void (failed || out.push(JSON.stringify(p))));
  parser.on("error", (e) => {
    if (!failed) out.push(`error: ${(e as Error).message}`);
    failed = true;
  });
  for (const c of chunks) {
    if (failed) break;
    parser.parse(c);
  }
  return out;
}

function cut(stream: Buffer, rnd: Rnd): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length;) {
    const size = rnd() < 0.3 ? 1 + int(rnd, 8) : 1 + int(rnd, 4096);
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe("hot packet decoder in front of mqtt-packet", () => {
  test("the same packets and errors as mqtt-packet alone, for streams cut anywhere", () => {
    const rnd = seededRandom(20261203);
    const before = { ...hotPacketCounts };
    let packets = 0;
    let errors = 0;
    for (let s = 0; s < 600; s++) {
      const { frames } = session(rnd);
      let stream: Buffer = Buffer.concat(frames);
      if (rnd() < 0.5) stream = mutate(stream, rnd);
      const connect = frames[0]!.length;
      // the CONNECT alone then the rest in one read (a client waits for its CONNACK), the
      // whole stream in one read, and the stream cut at random places
      const reads = [
        [stream.subarray(0, connect), stream.subarray(connect)],
        [stream],
        cut(stream, rnd),
      ];
      for (const chunks of reads) {
        const expected = run(chunks, false);
        expect(run(chunks, true)).toEqual(expected);
        packets += expected.length;
        if (expected.at(-1)?.startsWith("error")) errors++;
      }
    }
    expect(packets).toBeGreaterThan(8_000);
    expect(errors).toBeGreaterThan(60); // the mutations reached the error paths
    // a good share of them were the decoder's own (the rest follow other packet types)
    expect(hotPacketCounts.decoded - before.decoded).toBeGreaterThan(packets / 10);
  }, 60_000);

  test("a publisher's stream, cut by 4 KiB reads, is decoded here but for its CONNECT", () => {
    for (const protocolVersion of [4, 5] as const) {
      const frames = Array.from({ length: 2000 }, (_, i) =>
        mqtt.generate(
          {
            cmd: i % 3 ? "publish" : "puback",
            topic: `iot/dev-${i % 7}/telemetry`,
            payload: JSON.stringify({ ts: i, temperature: 21.5 }),
            qos: 1,
            messageId: 1 + i,
          } as never,
          { protocolVersion },
        ),
      );
      const stream = Buffer.concat(frames);
      const reads = [connect(protocolVersion)];
      for (let at = 0; at < stream.length; at += 4096) reads.push(stream.subarray(at, at + 4096));
      const before = { ...hotPacketCounts };
      const got = run(reads, true);
      expect(got).toEqual(run(reads, false));
      expect(got.length).toBe(2001);
      expect(hotPacketCounts.decoded - before.decoded).toBe(2000);
      expect(hotPacketCounts.delegated - before.delegated).toBe(1); // the CONNECT
    }
  });

  test("PUBLISH with every MQTT 5 property decodes here, field for field as mqtt-packet", () => {
    const packet = {
      cmd: "publish" as const,
      topic: "iot/d1/telemetry",
      payload: Buffer.from('{"t":1}'),
      qos: 1 as const,
      messageId: 42,
      retain: false,
      dup: false,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        topicAlias: 3,
        responseTopic: "r/1",
        correlationData: Buffer.from([1, 2]),
        userProperties: { msg_id: "m-1", unit: ["C", "F"] },
        subscriptionIdentifier: 5,
        contentType: "application/json",
      },
    };
    const frame = mqtt.generate(packet, { protocolVersion: 5 });
    const got: unknown[] = [];
    expect(decodeOne(frame, 0, true, (p) => got.push(p))).toBe(frame.length);
    expect(JSON.stringify(got[0])).toBe(run([connect(5), frame], false)[1]!);
  });

  test("a topic published again is the same string; another of the same length is not", () => {
    const frame = (topic: string) =>
      mqtt.generate({ cmd: "publish", topic, payload: "x", qos: 1, messageId: 1 } as never);
    const topics = newTopicCache();
    const got: Array<{ topic: string }> = [];
    const emit = (p: unknown) => void got.push(p as { topic: string });
    // one read buffer, reused for every read (as a socket's may be): the cache keeps its own bytes
    const read = Buffer.alloc(64);
    for (const t of ["iot/d-1/telemetry", "iot/d-1/telemetry", "iot/d-2/telemetry", "é/温度"]) {
      const f = frame(t);
      f.copy(read);
      expect(decodeOne(read.subarray(0, f.length), 0, false, emit, topics)).toBe(f.length);
    }
    expect(got.map((p) => p.topic)).toEqual([
      "iot/d-1/telemetry",
      "iot/d-1/telemetry",
      "iot/d-2/telemetry",
      "é/温度",
    ]);
    expect(decodeOne(frame("é/温度"), 0, false, emit, topics)).toBeGreaterThan(0);
    expect(got.at(-1)!.topic).toBe(topics.topic);
    expect(topics.bytes.subarray(0, topics.length).equals(Buffer.from("é/温度"))).toBe(true);
    // a name longer than any device's is decoded every time, not kept
    const long = "x".repeat(maxCachedTopicBytes + 1);
    for (let i = 0; i < 2; i++) decodeOne(frame(long), 0, false, emit, topics);
    expect(got.slice(-2).map((p) => p.topic)).toEqual([long, long]);
    expect(topics.bytes.length).toBe(maxCachedTopicBytes);
    expect(decodeOne(frame("é/温度"), 0, false, emit, topics)).toBeGreaterThan(0);
    expect(got.at(-1)!.topic).toBe("é/温度");
  });

  test("a frame it does not decode is left whole to mqtt-packet", () => {
    const emit = () => {
      throw new Error("not expected");
    };
    const pub = mqtt.generate({
      cmd: "publish",
      topic: "a",
      payload: "x",
      qos: 1,
      messageId: 1,
    } as never);
    expect(decodeOne(pub.subarray(0, pub.length - 1), 0, false, emit)).toBe(CUT);
    expect(decodeOne(pub.subarray(0, 1), 0, false, emit)).toBe(CUT);
    expect(decodeOne(mqtt.generate({ cmd: "pingreq" } as never), 0, false, emit)).toBe(0);
    const qos3 = Buffer.from(pub);
    qos3[0] = 0x36;
    expect(decodeOne(qos3, 0, false, emit)).toBe(0);
    expect(decodeOne(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 0, false, emit)).toBe(0);
  });

  test("a cut PUBLISH's announced length is where aedes looks for it (its size limit)", () => {
    const parser = mqtt.parser() as unknown as MqttPacketParser;
    expect(decodeHotPacketsFirst(parser)).toBe(true);
    parser.parse(connect(4));
    // remaining length 100,000,000, then a little of the body; then the length bytes cut
    parser.parse(Buffer.from([0x32, 0x80, 0xc2, 0xd7, 0x2f, 0x00, 0x01, 0x61]));
    expect(parser.packet.length).toBe(100_000_000);
    const other = mqtt.parser() as unknown as MqttPacketParser;
    decodeHotPacketsFirst(other);
    other.parse(connect(4));
    other.parse(Buffer.from([0x30, 0x80]));
    expect(other.packet.length).toBe(-1); // not known yet
    other.parse(Buffer.from([0x80, 0x01, 0x00]));
    expect(other.packet.length).toBe(16_384);
  });

  test("installs only on a parser shaped like mqtt-packet's", () => {
    expect(decodeHotPacketsFirst({} as MqttPacketParser)).toBe(false);
    expect(decodeHotPacketsFirst(mqtt.parser() as unknown as MqttPacketParser)).toBe(true);
  });
});

function connect(protocolVersion: 4 | 5): Buffer {
  const packet = { cmd: "connect", protocolVersion, clientId: "c", keepalive: 0 };
  return mqtt.generate(packet as never, { protocolVersion });
}
