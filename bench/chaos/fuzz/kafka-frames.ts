/**
 * Kafka frames for the fuzzer. Valid requests come from our own codecs: every API key and
 * version the broker serves, with values drawn by walking the request schema (boundary ints,
 * odd strings, empty and longer arrays, real record batches). Then a fraction is broken at the
 * byte level: flipped bits, truncation, junk tails, lying size prefixes and lengths, unknown
 * API keys and versions, pure noise.
 *
 * Names stay inside a fuzz-only pool (`fz-*`): a valid DeleteTopics or JoinGroup must never
 * touch the topics and consumer groups the product and the end checks rely on.
 */
import { apis } from "../../../src/kafka/protocol/index.ts";
import { encodeRecordBatch } from "../../../src/kafka/protocol/record-batch.ts";
import * as S from "../../../src/kafka/protocol/schema.ts";
import { Writer } from "../../../src/kafka/protocol/writer.ts";
import { buildRegistry } from "../../../src/kafka/broker/registry.ts";
import { boundaryInts, flipBytes, Gen, stompInt } from "./gen.ts";

type AnyCodec = S.Codec<any> & { fields?: Record<string, S.Codec<any>>; item?: S.Codec<any> };

const topicPool = ["fz-0", "fz-1", "fz-2", "fz-3", "", "..", "fz/bad", "fz-" + "x".repeat(260)];
const groupPool = ["fz-g0", "fz-g1", "fz-g2", ""];

/** Every (apiKey, version) the broker serves, with its request codec. */
export function servedVersions(): Array<{ key: number; version: number; flexible: boolean }> {
  const out: Array<{ key: number; version: number; flexible: boolean }> = [];
  for (const [key, r] of buildRegistry()) {
    const api = apis.get(key)!;
    for (let v = r.minVersion; v <= r.maxVersion; v++)
      out.push({ key, version: v, flexible: v >= api.flexibleFrom });
  }
  return out;
}

function intFor(g: Gen, field: string, bits: 8 | 16 | 32): number {
  const f = field.toLowerCase();
  let v: number;
  if (f === "acks") v = g.pick([-1, 0, 1, 2, -2]);
  else if (f === "numpartitions") v = g.pick([-1, 1, 2, 3, 0, -5, 1001, 2147483647]);
  else if (f === "replicationfactor") v = g.pick([-1, 1, 2, 0]);
  else if (/ms$|timeout/.test(f)) v = g.pick([0, 10, 100, 6000, 30000, -1, 2147483647]);
  else if (/partition|index|nodeid|brokerid/.test(f)) v = g.pick([0, 1, 2, -1, 999, 2147483647]);
  else if (/generation|epoch|sessionid/.test(f)) v = g.pick([-1, 0, 1, 2, 2147483647]);
  else if (/bytes$/.test(f)) v = g.pick([0, 1, 1024, 1 << 20, -1, 2147483647]);
  else v = g.chance(0.5) ? g.int(4) : g.pick(boundaryInts);
  const span = 2 ** bits;
  v = ((v % span) + span) % span;
  return v >= span / 2 ? v - span : v;
}

function stringFor(g: Gen, field: string): string {
  const f = field.toLowerCase();
  if (/topic|^name$|names$/.test(f)) return g.pick(topicPool);
  if (/group|^key$/.test(f)) return g.pick(groupPool);
  if (f === "memberid") return g.pick(["", "fz-member", g.text(40)]);
  if (f === "protocoltype") return g.pick(["consumer", "", g.text(10)]);
  if (f === "mechanism") return g.pick(["PLAIN", "SCRAM-SHA-256", g.text(12)]);
  if (f === "clientsoftwarename") return g.pick(["fuzz", "", g.text(30)]);
  return g.chance(0.7) ? g.text(12) : g.text(300);
}

function bytesFor(g: Gen, field: string): Uint8Array {
  if (field === "records" && g.chance(0.8)) {
    const n = 1 + g.int(3);
    return encodeRecordBatch({
      records: Array.from({ length: n }, (_, i) => ({
        key: g.chance(0.5) ? null : Buffer.from(`k${i}`),
        value: g.chance(0.1) ? null : g.bytes(g.int(64)),
      })),
      compression: g.chance(0.1) ? "gzip" : "none",
    });
  }
  if (field === "authBytes" && g.chance(0.5)) return Buffer.from("\0fz\0wrong");
  return g.bytes(g.chance(0.9) ? g.int(32) : g.int(2000));
}

/** A random but well-typed value for `codec` (the field name steers it toward meaningful values). */
function valueOf(codec: AnyCodec, g: Gen, field: string, depth: number): unknown {
  switch (codec) {
    case S.int8:
      return intFor(g, field, 8);
    case S.int16:
      return intFor(g, field, 16);
    case S.int32:
      return intFor(g, field, 32);
    case S.int64:
      return g.pick([0, 1, 2, -1, -2, 1e12, 2 ** 40]);
    case S.boolean:
      return g.chance(0.5);
    case S.string:
    case S.compactString:
      return stringFor(g, field);
    case S.nullableString:
      return g.chance(0.15) ? null : stringFor(g, field);
    case S.bytes:
      return bytesFor(g, field);
    case S.nullableBytes:
    case S.records:
      return g.chance(0.05) ? null : bytesFor(g, field);
    case S.taggedFields:
      return {};
  }
  if (codec.fields) {
    const out: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(codec.fields))
      out[name] = valueOf(c, g, name, depth + 1);
    return out;
  }
  if (codec.item) {
    const n = g.chance(0.1) ? 0 : 1 + g.int(depth > 3 ? 1 : 3);
    return Array.from({ length: n }, () => valueOf(codec.item!, g, field, depth + 1));
  }
  throw new Error(`fuzz: no generator for a codec under '${field}'`);
}

/** One valid request frame (size prefix included) for `key` v`version`. */
export function validFrame(
  g: Gen,
  key: number,
  version: number,
  flexible: boolean,
  correlationId: number,
): Buffer {
  const codec = apis.get(key)!.versions[version]!.request as AnyCodec;
  const w = new Writer();
  w.int32(0); // size, patched by finishFrame
  w.int16(key).int16(version).int32(correlationId);
  w.nullableString(g.chance(0.9) ? "fuzz" : g.pick([null, "", g.text(200)]));
  if (flexible) w.emptyTaggedFields();
  codec.write(w, valueOf(codec, g, "", 0));
  return Buffer.concat(w.finishFrame());
}

function withSize(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** A byte-level break of a valid frame: the kind that should close the connection. */
export function breakFrame(g: Gen, f: Buffer): Buffer {
  switch (g.int(9)) {
    case 0: // flipped bytes in the header and body, size honest
      return flipBytes(g, f, 4);
    case 1: // a length, count or header field replaced by a boundary value
      return stompInt(g, f, 4);
    case 2: // body cut short, size honest
      return withSize(f.subarray(4, 4 + g.int(f.length - 4)));
    case 3: // junk tail, size honest
      return withSize(Buffer.concat([f.subarray(4), g.bytes(1 + g.int(64))]));
    case 4: {
      // a lying size prefix
      const out = Buffer.from(f);
      out.writeInt32BE(g.pick([0, 1, 7, -1, -2147483648, 2147483647, 10 << 20, f.length + 1]), 0);
      return out;
    }
    case 5: {
      // unknown API key, or a version the broker does not serve
      const out = Buffer.from(f);
      if (g.chance(0.5)) out.writeInt16BE(g.pick([-1, 21, 23, 37, 67, 1000, 32767, -32768]), 4);
      else out.writeInt16BE(g.pick([-1, 12, 13, 99, 32767, -32768]), 6);
      return out;
    }
    case 6: // the frame stops mid-way (the next frame's bytes become its tail)
      return f.subarray(0, 4 + g.int(f.length - 4));
    case 7: // noise with an honest size
      return withSize(g.bytes(8 + g.int(200)));
    default: // noise
      return g.bytes(1 + g.int(200));
  }
}

/**
 * A Kafka session generator: each session is a pipelined run of valid frames for random APIs
 * and versions, of which a few are broken (so the broker closes, usually at the first break).
 */
export function kafkaSessions(seed: number) {
  const g = new Gen(seed);
  const versions = servedVersions();
  let correlationId = 0;
  return (frames: number): Buffer[] =>
    Array.from({ length: frames }, (_, i) => {
      const v = g.pick(versions);
      const frame = validFrame(g, v.key, v.version, v.flexible, correlationId++ & 0x7fffffff);
      // most sessions end with one broken frame; a few carry it earlier
      const broken = i === frames - 1 ? g.chance(0.7) : g.chance(0.02);
      return broken ? breakFrame(g, frame) : frame;
    });
}
