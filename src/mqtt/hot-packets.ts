/**
 * PUBLISH and PUBACK — nearly every packet a busy broker reads — decoded here, in front of
 * mqtt-packet's general parser, whose byte-by-byte buffer-list reads and debug calls were about
 * an eighth of `iot serve`'s CPU under QoS 1 load. Exactness first: a frame is decoded here only
 * when it is whole in the read and every field checks out, into the same Packet objects
 * mqtt-packet makes. Anything else — other packet types, a frame cut by the end of a read, any
 * odd length or property — goes to mqtt-packet itself from that byte on, so it gives the same
 * packets and the same errors (and a bad frame still closes only its connection). The
 * differential fuzz test (hot-packets.test.ts) feeds both the same streams, cut anywhere.
 */
import Packet from "mqtt-packet/packet.js";
import constants from "mqtt-packet/constants.js";

/** The mqtt-packet Parser fields this relies on (mqtt-packet 9); checked before installing. */
export interface MqttPacketParser {
  parse(buf: Buffer): number;
  emit(event: "packet", packet: Packet): boolean;
  /** the CONNECT packet once parsed: its protocolVersion says whether properties follow */
  settings: { protocolVersion?: number };
  /** the packet being parsed: its `length` is known from state 2 (body pending) on */
  packet: { length: number };
  _list: { length: number; slice(): Buffer };
  _resetState(): void;
  /** 0 header, 1 remaining length, 2 body, 3 emit */
  _stateCounter: number;
  error: Error | null;
}

/** How many packets were decoded here and how many reads went (partly) to mqtt-packet. */
export const hotPacketCounts = { decoded: 0, delegated: 0 };

/**
 * Puts the decoder in front of `parser` (an aedes client's `_parser`). False, and nothing
 * changed, when the parser does not look like mqtt-packet 9's.
 */
export function decodeHotPacketsFirst(parser: MqttPacketParser): boolean {
  if (
    typeof parser?.parse !== "function" ||
    typeof parser.emit !== "function" ||
    typeof parser._stateCounter !== "number" ||
    typeof parser._list?.length !== "number" ||
    typeof parser._list.slice !== "function" ||
    typeof parser._resetState !== "function" ||
    typeof parser.packet?.length !== "number" ||
    typeof parser.settings !== "object"
  )
    return false;
  const slowParse = parser.parse.bind(parser);
  const slow = (buf: Buffer) => {
    hotPacketCounts.delegated++;
    slowParse(buf);
  };
  // mqtt-packet holds nothing: no error, no partial frame
  const clean = () => !parser.error && parser._stateCounter === 0 && parser._list.length === 0;
  const emit = (p: Packet) => {
    hotPacketCounts.decoded++;
    parser.emit("packet", p);
  };
  const topics = newTopicCache();
  // a PUBLISH or PUBACK cut by the end of a read, kept until the rest arrives
  let cut: Buffer[] = [];
  let cutBytes = 0;
  const feed = (buf: Buffer) => {
    if (cut.length > 0) {
      cut.push(buf);
      cutBytes += buf.length;
      // its size, once its length bytes are all in (-1 before; 0: malformed, mqtt-packet's)
      const size = frameSize(cut[0]!.length < 6 ? join() : cut[0]!);
      if (size === -1) return;
      if (size > 0 && cutBytes < size) return announce(size);
      buf = join();
      cut = [];
      cutBytes = 0;
      parser.packet.length = -1;
    } else if (!clean()) {
      const held = takeBack();
      if (!held) return slow(buf); // mqtt-packet holds a cut frame of another type
      buf = Buffer.concat([held, buf]);
    }
    let at = 0;
    while (at < buf.length) {
      const used = decodeOne(buf, at, parser.settings.protocolVersion === 5, emit, topics);
      if (used > 0) {
        at += used;
        continue;
      }
      if (used === CUT) {
        cut = [at === 0 ? buf : buf.subarray(at)];
        cutBytes = buf.length - at;
        const size = frameSize(cut[0]!);
        if (size > 0) announce(size);
        return;
      }
      // another packet type or something odd: mqtt-packet parses the rest of the read (not
      // that frame alone: on a malformed frame it reads on into the next one, and its packets
      // and errors must stay exactly what they were)
      return slow(at === 0 ? buf : buf.subarray(at));
    }
  };
  // A PUBLISH or PUBACK mqtt-packet holds cut (it was parsing the rest of a read): the frame
  // so far, rebuilt from its header fields and the body bytes it kept, and mqtt-packet reset. It
  // parses those bytes the same way again, should they go back to it.
  const takeBack = (): Buffer | null => {
    const p = parser.packet as { cmd?: string; qos?: number; dup?: boolean; retain?: boolean };
    if (parser.error || parser._stateCounter !== 2) return null;
    if (p.cmd !== "publish" && p.cmd !== "puback") return null;
    const first =
      p.cmd === "puback" ? 0x40 : 0x30 | (p.dup ? 8 : 0) | (p.qos! << 1) | (p.retain ? 1 : 0);
    const length = lengthBytes(parser.packet.length);
    const held = Buffer.concat([Buffer.from([first, ...length]), parser._list.slice()]);
    parser._resetState();
    return held;
  };
  const join = () => {
    const whole = Buffer.concat(cut, cutBytes);
    cut = [whole];
    return whole;
  };
  // aedes refuses a packet over its maximum size as soon as the parser knows its length
  const announce = (frameBytes: number) => {
    parser.packet.length = frameBytes - headerBytes(frameBytes);
  };
  // aedes reads again from a packet's done callback: never while a read is being taken apart
  let busy = false;
  const later: Buffer[] = [];
  parser.parse = (buf: Buffer) => {
    if (busy) {
      later.push(buf);
      return parser._list.length;
    }
    busy = true;
    try {
      feed(buf);
      while (later.length > 0) feed(later.shift()!);
    } finally {
      busy = false;
    }
    return parser._list.length;
  };
  return true;
}

/** decodeOne's answer for a PUBLISH or PUBACK that the read does not hold whole */
export const CUT = -1;

/**
 * The whole size of the PUBLISH or PUBACK frame at the start of `b`: -1 while its length bytes
 * are cut, 0 when it is none or its length is malformed.
 */
function frameSize(b: Buffer): number {
  const type = b[0]! >> 4;
  if (type !== 3 && type !== 4) return 0;
  let remaining = 0;
  for (let i = 1, mul = 1; i <= 4; i++, mul *= 128) {
    if (i >= b.length) return -1;
    const byte = b[i]!;
    remaining += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return 1 + i + remaining;
  }
  return 0;
}

/** a remaining length as MQTT writes it */
function lengthBytes(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n % 128) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return out;
}

/** the fixed header's bytes in a frame of this whole size */
const headerBytes = (frame: number) =>
  frame <= 2 + 127 ? 2 : frame <= 3 + 16383 ? 3 : frame <= 4 + 2097151 ? 4 : 5;

/**
 * The last topic name a connection published to, as bytes and as the string made of them: a
 * device publishes to the same topic over and over, and comparing a few bytes is cheaper than
 * making the same string again — and the same string (one object) makes the broker's and the
 * bridge's per-topic caches a pointer comparison. Its own copy of the bytes (never a view of a
 * read buffer), in a buffer reused from topic to topic; names over `maxCachedTopicBytes` (no
 * device's) are not kept, so a connection holds at most that much here.
 */
export interface TopicCache {
  bytes: Buffer;
  length: number;
  topic: string;
}

export const maxCachedTopicBytes = 256;

export const newTopicCache = (): TopicCache => ({ bytes: Buffer.alloc(0), length: -1, topic: "" });

/** The topic name in b[from, to), from the cache when it is the last one again. */
function topicOf(b: Buffer, from: number, to: number, cache: TopicCache | undefined): string {
  const n = to - from;
  if (!cache || n === 0) return b.toString("utf8", from, to);
  if (n === cache.length && b.compare(cache.bytes, 0, n, from, to) === 0) return cache.topic;
  const topic = b.toString("utf8", from, to);
  if (n > maxCachedTopicBytes) {
    cache.length = -1;
    return topic;
  }
  if (cache.bytes.length < n) cache.bytes = Buffer.alloc(maxCachedTopicBytes);
  b.copy(cache.bytes, 0, from, to);
  cache.length = n;
  cache.topic = topic;
  return topic;
}

/**
 * Decodes the PUBLISH or PUBACK at `at` and emits it: the bytes it took; CUT when the read ends
 * before it does; 0 when it is not one, or not one to decode here.
 */
export function decodeOne(
  b: Buffer,
  at: number,
  v5: boolean,
  emit: (p: Packet) => void,
  topics?: TopicCache,
): number {
  const first = b[at]!;
  const type = first >> 4;
  if (type !== 3 && type !== 4) return 0;
  let i = at + 1;
  let remaining = 0;
  for (let n = 0, mul = 1; ; n++, mul *= 128) {
    if (n === 4) return 0; // five length bytes: mqtt-packet's error
    if (i >= b.length) return CUT;
    const byte = b[i++]!;
    remaining += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) break;
  }
  const end = i + remaining;
  if (end > b.length) return CUT;
  if (type === 4) {
    // MQTT 5 adds a reason code and properties (mqtt.js always writes both, even when empty)
    if (first !== 0x40 || remaining < 2 || (!v5 && remaining !== 2)) return 0;
    const p = new Packet();
    p.cmd = "puback";
    p.length = remaining;
    p.messageId = b.readUInt16BE(i);
    if (v5) {
      const code = remaining > 2 ? b[i + 2]! : 0;
      if (!constants.MQTT5_PUBACK_PUBREC_CODES[code]) return 0;
      p.reasonCode = code;
      if (remaining > 3) {
        const decoded = decodeProperties(b, i + 3, end);
        if (!decoded || decoded.next !== end) return 0;
        if (Object.getOwnPropertyNames(decoded.properties).length > 0)
          p.properties = decoded.properties;
      }
    }
    emit(p);
    return end - at;
  }
  const qos = (first >> 1) & 3;
  if (qos === 3 || remaining < 2) return 0;
  const topicEnd = i + 2 + b.readUInt16BE(i);
  if (topicEnd > end) return 0;
  const topic = topicOf(b, i + 2, topicEnd, topics);
  i = topicEnd;
  let messageId = 0;
  if (qos > 0) {
    if (i + 2 > end) return 0;
    messageId = b.readUInt16BE(i);
    i += 2;
  }
  let properties: Record<string, unknown> | undefined;
  if (v5) {
    if (i >= end) return 0;
    if (b[i] === 0) i++;
    else {
      const decoded = decodeProperties(b, i, end);
      if (!decoded) return 0;
      if (Object.getOwnPropertyNames(decoded.properties).length > 0)
        properties = decoded.properties;
      i = decoded.next;
    }
  }
  // fields set in mqtt-packet's order (one object shape for both parsers)
  const p = new Packet();
  p.cmd = "publish";
  p.retain = (first & 1) !== 0;
  p.qos = qos;
  p.dup = (first & 8) !== 0;
  p.length = remaining;
  p.topic = topic;
  if (qos > 0) p.messageId = messageId;
  if (properties) p.properties = properties;
  p.payload = b.subarray(i, end); // a view, as mqtt-packet's is when the frame is in one read
  emit(p);
  return end - at;
}

type Read = { value: unknown; next: number } | null;

/**
 * An MQTT 5 property block at `at` (its length first), as mqtt-packet's _parseProperties makes
 * it — a repeated property becomes an array, user properties a null-prototype object — or null
 * when anything would make mqtt-packet read past the block (then it decides).
 */
function decodeProperties(
  b: Buffer,
  at: number,
  end: number,
): { properties: Record<string, unknown>; next: number } | null {
  const length = readVarint(b, at, end);
  if (!length) return null;
  const stop = length.next + (length.value as number);
  if (stop > end) return null;
  const result: Record<string, unknown> = {};
  let i = length.next;
  while (i < stop) {
    const code = b[i++]!;
    const name = constants.propertiesCodes[code];
    if (!code || !name) return null;
    const read = readValue(b, i, stop, constants.propertiesTypes[name]!);
    if (!read) return null;
    i = read.next;
    if (name === "userProperties") {
      const pair = read.value as { name: string; value: string };
      const props = (result.userProperties ??= Object.create(null)) as Record<string, unknown>;
      const seen = props[pair.name];
      // mqtt-packet's own rule (a falsy first value is replaced, not kept beside the next)
      if (!seen) props[pair.name] = pair.value;
      else if (Array.isArray(seen)) seen.push(pair.value);
      else props[pair.name] = [seen, pair.value];
      continue;
    }
    const seen = result[name];
    if (!seen) result[name] = read.value;
    else if (Array.isArray(seen)) seen.push(read.value);
    else result[name] = [seen, read.value];
  }
  return { properties: result, next: stop };
}

function readValue(b: Buffer, i: number, stop: number, type: string): Read {
  switch (type) {
    case "byte":
      return i + 1 <= stop ? { value: b[i] !== 0, next: i + 1 } : null;
    case "int8":
      return i + 1 <= stop ? { value: b[i], next: i + 1 } : null;
    case "int16":
      return i + 2 <= stop ? { value: b.readUInt16BE(i), next: i + 2 } : null;
    case "int32":
      return i + 4 <= stop ? { value: b.readUInt32BE(i), next: i + 4 } : null;
    case "var":
      return readVarint(b, i, stop);
    case "string":
    case "binary": {
      if (i + 2 > stop) return null;
      const from = i + 2;
      const to = from + b.readUInt16BE(i);
      if (to > stop) return null;
      return {
        value: type === "string" ? b.toString("utf8", from, to) : b.subarray(from, to),
        next: to,
      };
    }
    case "pair": {
      const name = readValue(b, i, stop, "string");
      const value = name && readValue(b, name.next, stop, "string");
      return value ? { value: { name: name.value, value: value.value }, next: value.next } : null;
    }
    default:
      return null;
  }
}

/** A variable byte integer of at most 4 bytes ending before `stop`. */
function readVarint(b: Buffer, i: number, stop: number): Read {
  let value = 0;
  for (let n = 0, mul = 1; n < 4 && i < stop; n++, mul *= 128) {
    const byte = b[i++]!;
    value += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return { value, next: i };
  }
  return null;
}
