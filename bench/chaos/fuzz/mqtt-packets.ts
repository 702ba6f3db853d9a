/**
 * MQTT packets for the fuzzer: sessions of MQTT 3.1.1 or 5 packets made by mqtt-packet (the
 * encoder mqtt.js uses) — CONNECT with odd options, PUBLISH QoS 0/1/2 on mapped and unmapped
 * topics with good and bad payloads, SUBSCRIBE/UNSUBSCRIBE with wildcards, acks, PINGREQ, AUTH,
 * DISCONNECT — then a fraction broken at the byte level (flipped bits, truncation, lying
 * remaining lengths, reserved packet types and flags, lying string lengths, noise).
 *
 * Client ids and device ids come from small fuzz-only pools, so the broker's per-client state
 * stays bounded by design and memory growth means a leak, not a bigger world.
 */
import mqttPacket from "mqtt-packet";
import { remainingLength } from "../../../test/support/mqtt-frames.ts";
import { boundaryInts, flipBytes, Gen, stompInt } from "./gen.ts";

type Version = 4 | 5;

const devices = ["fz-0", "fz-1", "fz-2", "fz-3"];

function topicOf(g: Gen): string {
  switch (g.int(8)) {
    case 0:
      return `iot/${g.pick(devices)}/telemetry`;
    case 1:
      return `iot/${g.pick(devices)}/${g.pick(["status", "image", "video"])}`;
    case 2:
      return g.pick(["coffee", "hello/world"]);
    case 3:
      return g.pick(["", "#", "+", "a/#/b", "$SYS/x", "fz/\u0000", "iot//telemetry", "/"]);
    default:
      return `fz/${g.int(8)}/${g.int(4)}`;
  }
}

function payloadOf(g: Gen, topic: string): Buffer {
  if (topic.endsWith("/telemetry") || topic === "coffee" || topic.endsWith("/status")) {
    const good = [
      JSON.stringify({ temperature: g.pick([21.5, -40, 1e308, 0]), humidity: 40 }),
      JSON.stringify({ id: "fz-c", x: 1, y: 2, status: g.pick(["Active", "Inactive", "?"]) }),
      JSON.stringify({ status: "online" }),
    ];
    const bad = ["{", "[]", "null", '{"temperature":"hot"}', "\u0000", '{"a":'.repeat(200)];
    return Buffer.from(g.chance(0.6) ? g.pick(good) : g.pick(bad));
  }
  if (topic === "hello/world")
    return Buffer.from(g.pick(["42 3 2026-11-22 10:00:00", "FULL 1", ""]));
  return g.bytes(g.chance(0.95) ? g.int(64) : g.int(4000));
}

function properties(g: Gen, v: Version): object | undefined {
  if (v !== 5 || g.chance(0.6)) return undefined;
  return {
    sessionExpiryInterval: g.pick([0, 1, 60, 4294967295]),
    receiveMaximum: g.pick([1, 10, 65535]),
    maximumPacketSize: g.pick([128, 1 << 20, 268435455]),
    topicAliasMaximum: g.pick([0, 10, 65535]),
    userProperties: g.chance(0.3) ? { fz: g.text(20) } : undefined,
  };
}

function connect(g: Gen, v: Version): object {
  return {
    cmd: "connect",
    protocolId: v === 4 ? "MQTT" : "MQTT",
    protocolVersion: v,
    clientId: g.chance(0.2) ? "" : `fz-c${g.int(16)}`,
    // persistent sessions are rare: their offline queues are real state, not fuzz
    clean: g.chance(0.95),
    keepalive: g.pick([0, 1, 60, 65535]),
    username: g.chance(0.2) ? g.text(20) : undefined,
    password: g.chance(0.1) ? Buffer.from(g.text(20)) : undefined,
    will: g.chance(0.1)
      ? { topic: topicOf(g), payload: Buffer.from("gone"), qos: g.int(3), retain: g.chance(0.2) }
      : undefined,
    properties: properties(g, v),
  };
}

function packetAfterConnect(g: Gen, v: Version): object {
  const messageId = 1 + g.int(65535);
  switch (g.int(12)) {
    case 0:
    case 1:
    case 2:
    case 3: {
      const topic = topicOf(g);
      const qos = g.int(3);
      return {
        cmd: "publish",
        topic,
        payload: payloadOf(g, topic),
        qos,
        retain: g.chance(0.05),
        dup: g.chance(0.1),
        messageId: qos ? messageId : undefined,
        properties: v === 5 && g.chance(0.2) ? { topicAlias: 1 + g.int(3) } : undefined,
      };
    }
    case 4:
      return {
        cmd: "subscribe",
        messageId,
        subscriptions: Array.from({ length: 1 + g.int(3) }, () => ({
          topic: g.chance(0.5) ? `fz/${g.pick(["#", "+/1", "3/+"])}` : topicOf(g),
          qos: g.int(3),
        })),
      };
    case 5:
      return { cmd: "unsubscribe", messageId, unsubscriptions: [topicOf(g)] };
    case 6:
      return { cmd: g.pick(["puback", "pubrec", "pubrel", "pubcomp"]), messageId };
    case 7:
    case 8:
      return { cmd: "pingreq" };
    case 9:
      return v === 5
        ? { cmd: "auth", reasonCode: g.pick([0, 0x18, 0x19]), properties: {} }
        : { cmd: "pingreq" };
    case 10: // a second CONNECT is a protocol error (rare: it ends the session)
      return g.chance(0.1) ? connect(g, v) : { cmd: "pingreq" };
    default:
      return { cmd: "disconnect", reasonCode: v === 5 ? g.pick([0, 4]) : undefined };
  }
}

function encode(packet: object, v: Version): Buffer | null {
  try {
    return mqttPacket.generate(packet as mqttPacket.Packet, { protocolVersion: v });
  } catch {
    return null; // a combination mqtt-packet refuses to encode: draw another
  }
}

function lengthBytes(p: Buffer): number {
  let n = 1;
  while (p[n]! & 0x80 && n < 4) n++;
  return n;
}

/** A byte-level break of a well-formed packet. */
export function breakPacket(g: Gen, p: Buffer): Buffer {
  const header = 1 + lengthBytes(p);
  const body = p.subarray(header);
  const frame = (first: number, b: Buffer) =>
    Buffer.concat([Buffer.from([first, ...remainingLength(b.length)]), b]);
  switch (g.int(9)) {
    case 0:
      return flipBytes(g, p, 0);
    case 1: // a string length, packet id or property replaced by a boundary value
      return stompInt(g, p, header);
    case 2: // honest remaining length over a cut or extended body
      return frame(
        p[0]!,
        g.chance(0.5) ? body.subarray(0, g.int(body.length)) : Buffer.concat([body, g.bytes(40)]),
      );
    case 3: // five length bytes (at most four allowed)
      return Buffer.concat([Buffer.from([p[0]!, 0xff, 0xff, 0xff, 0xff, 0x7f]), body]);
    case 4: // announces up to 256 MB, sends little
      return Buffer.concat([
        Buffer.from([p[0]!, ...remainingLength(268_435_455 - g.int(1000))]),
        body,
      ]);
    case 5: // reserved packet type or flags
      return Buffer.concat([
        Buffer.from([(g.pick([0, 15, g.int(16)]) << 4) | g.int(16)]),
        p.subarray(1),
      ]);
    case 6: {
      // the first string's length lies
      const f = Buffer.from(p);
      if (f.length >= header + 2) f.writeUInt16BE(g.pick(boundaryInts) & 0xffff, header);
      return f;
    }
    case 7: // cut short: the next packet's bytes become its body
      return p.subarray(0, g.int(p.length));
    default:
      return g.bytes(1 + g.int(300));
  }
}

/**
 * An MQTT session generator: a CONNECT (usually valid) then `packets - 1` packets of the same
 * protocol version; most sessions end with one broken packet.
 */
export function mqttSessions(seed: number) {
  const g = new Gen(seed);
  const draw = (make: () => object, v: Version): Buffer => {
    for (;;) {
      const b = encode(make(), v);
      if (b) return b;
    }
  };
  return (packets: number): Buffer[] => {
    const v: Version = g.chance(0.5) ? 4 : 5;
    const out = [draw(() => connect(g, v), v)];
    if (g.chance(0.05)) out[0] = breakPacket(g, out[0]!);
    for (let i = 1; i < packets; i++) {
      const p = draw(() => packetAfterConnect(g, v), v);
      const broken = i === packets - 1 ? g.chance(0.6) : g.chance(0.02);
      out.push(broken ? breakPacket(g, p) : p);
    }
    return out;
  };
}
