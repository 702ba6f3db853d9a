/**
 * RecordBatch v2 written and read straight from and to the pipeline's records: the bytes the
 * embedded broker keeps in its logs are the same as a kafkajs producer's (uncompressed, no
 * producer id), so kafkajs, kcat and kafka-python consumers read them as before.
 */
import { crc32c } from "../../core/checksum/crc32c.ts";
import { gunzipBounded } from "../../core/codec/gunzip-bounded.ts";
import { readVarint } from "../../core/codec/varint.ts";
import { repeatedText } from "../../core/codec/repeated-text.ts";
import { reduceOversizedRecords } from "../../core/kafka/oversized.ts";
import {
  BATCH,
  leaderEpochOf,
  putInt64,
  readBatchHeader,
  type ScannedBatch,
} from "../../kafka/protocol/record-batch.ts";
import type { BusRecord, ConsumedRecord } from "../types.ts";

const zigzag = (v: number) => (v >= 0 ? v * 2 : -v * 2 - 1);

function varintSize(v: number): number {
  let u = zigzag(v);
  let n = 1;
  while (u >= 0x80) ((u = Math.floor(u / 128)), n++);
  return n;
}

function putVarint(buf: Buffer, at: number, v: number): number {
  let u = zigzag(v);
  while (u >= 0x80) {
    buf[at++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[at++] = u;
  return at;
}

type Field = string | Buffer | null | undefined;

/** a field's bytes: strings are measured here and written in place, never copied to a Buffer */
const byteLength = (f: string | Buffer) =>
  typeof f === "string" ? Buffer.byteLength(f) : f.length;

const fieldSize = (f: Field, length: number) =>
  f === null || f === undefined ? 1 : varintSize(length) + length;

function putField(buf: Buffer, at: number, f: Field, length: number): number {
  if (f === null || f === undefined) return putVarint(buf, at, -1);
  at = putVarint(buf, at, length);
  if (typeof f === "string") buf.write(f, at, length, "utf8");
  else f.copy(buf, at);
  return at + length;
}

export interface EncodedBatch {
  bytes: Buffer;
  /** what the partition log's append needs to know of it (as a produce request's scan says) */
  scanned: ScannedBatch;
}

/** One uncompressed batch holding `records` in order, all stamped `now`. */
export function encodeBatch(records: readonly BusRecord[], now: number): EncodedBatch {
  // first pass: every field's length (kept, in order) and each record's body size
  const lengths: number[] = [];
  const bodies: number[] = [];
  let size: number = BATCH.HEADER_SIZE;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const key = r.key == null ? 0 : byteLength(r.key);
    const value = r.value == null ? 0 : byteLength(r.value);
    lengths.push(key, value);
    let body = 1 + 1 + varintSize(i) + fieldSize(r.key, key) + fieldSize(r.value, value);
    let headers = 0;
    for (const k in r.headers) {
      const v = r.headers[k];
      const kl = Buffer.byteLength(k);
      const vl = v == null ? 0 : byteLength(v);
      lengths.push(kl, vl);
      body += fieldSize(k, kl) + fieldSize(v, vl);
      headers++;
    }
    body += varintSize(headers);
    bodies.push(body, headers);
    size += varintSize(body) + body;
  }
  const buf = Buffer.allocUnsafe(size);
  let at: number = BATCH.HEADER_SIZE;
  let l = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    at = putVarint(buf, at, bodies[2 * i]!);
    buf[at++] = 0; // attributes
    at = putVarint(buf, at, 0); // timestamp delta
    at = putVarint(buf, at, i); // offset delta
    at = putField(buf, at, r.key, lengths[l++]!);
    at = putField(buf, at, r.value, lengths[l++]!);
    at = putVarint(buf, at, bodies[2 * i + 1]!);
    for (const k in r.headers) {
      at = putField(buf, at, k, lengths[l++]!);
      at = putField(buf, at, r.headers[k], lengths[l++]!);
    }
  }
  putInt64(buf, BATCH.BASE_OFFSET, 0);
  buf.writeInt32BE(size - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  buf.writeInt32BE(0, BATCH.LEADER_EPOCH);
  buf.writeInt8(2, BATCH.MAGIC);
  buf.writeInt16BE(0, BATCH.ATTRIBUTES);
  buf.writeInt32BE(records.length - 1, BATCH.LAST_OFFSET_DELTA);
  putInt64(buf, BATCH.FIRST_TIMESTAMP, now); // no BigInt per batch
  putInt64(buf, BATCH.MAX_TIMESTAMP, now);
  putInt64(buf, BATCH.PRODUCER_ID, -1);
  buf.writeInt16BE(-1, BATCH.PRODUCER_EPOCH);
  buf.writeInt32BE(-1, BATCH.BASE_SEQUENCE);
  buf.writeInt32BE(records.length, BATCH.RECORDS_COUNT);
  buf.writeUInt32BE(crc32c(buf, BATCH.ATTRIBUTES), BATCH.CRC);
  return {
    bytes: buf,
    scanned: {
      start: 0,
      end: size,
      lastOffsetDelta: records.length - 1,
      recordsCount: records.length,
      firstTimestamp: now,
      maxTimestamp: now,
      producerId: -1,
      attributes: 0,
    },
  };
}

export interface DecodeLimits {
  maxUncompressedBytes: number;
  /** a larger record is handed over reduced (core/kafka/oversized.ts) */
  maxRecordBytes: number;
}

const TRANSACTIONAL_OR_CONTROL = 0x30;

/** every record of a bridged batch carries the same header names, and its device's topic and id */
const headerText = repeatedText();

/**
 * The records at or after `from` in whole batches read from a log (a read may end inside a
 * batch: that tail is left for the next read); `next` is where to read on from.
 */
export function decodeBatches(
  bytes: Uint8Array,
  from: number,
  limits: DecodeLimits,
): { records: ConsumedRecord[]; next: number } {
  const records: ConsumedRecord[] = [];
  let next = from;
  let pos = 0;
  while (pos + BATCH.HEADER_SIZE <= bytes.length) {
    const h = readBatchHeader(bytes, pos);
    const end = pos + BATCH.LOG_OVERHEAD + h.batchLength;
    if (end > bytes.length) break;
    const batch = bytes.subarray(pos, end);
    pos = end;
    next = Math.max(next, h.baseOffset + h.lastOffsetDelta + 1);
    if (h.attributes & TRANSACTIONAL_OR_CONTROL) continue;
    const epoch = leaderEpochOf(batch, 0);
    decodeRecordsOf(batch, h, epoch, from, limits, records);
  }
  return { records, next };
}

/** The batch's records at or after `from`, pushed onto `out` (one object each, nothing copied). */
function decodeRecordsOf(
  batch: Uint8Array,
  h: ReturnType<typeof readBatchHeader>,
  epoch: number,
  from: number,
  limits: DecodeLimits,
  out: ConsumedRecord[],
): void {
  const codec = h.attributes & 0x7;
  let data = Buffer.from(
    batch.buffer,
    batch.byteOffset + BATCH.HEADER_SIZE,
    batch.length - BATCH.HEADER_SIZE,
  );
  if (codec === 1) data = gunzipBounded(data, limits.maxUncompressedBytes);
  else if (codec !== 0) throw new Error(`compression codec ${codec} is not supported in-process`);
  data = reduceOversizedRecords(data, limits.maxRecordBytes);
  const pos = { at: 0 };
  const field = (): Buffer | null => {
    const n = readVarint(data, pos);
    if (n < 0) return null;
    const b = data.subarray(pos.at, pos.at + n);
    pos.at += n;
    return b;
  };
  // header names and values straight to strings (no Buffer view of each in between)
  const text = (): string | null => {
    const n = readVarint(data, pos);
    if (n < 0) return null;
    const start = pos.at;
    pos.at += n;
    return headerText(data, start, Math.min(pos.at, data.length));
  };
  for (let i = 0; i < h.recordsCount; i++) {
    readVarint(data, pos); // record length
    pos.at++; // attributes
    const timestamp = h.firstTimestamp + readVarint(data, pos);
    const offset = h.baseOffset + readVarint(data, pos);
    const key = field();
    const value = field();
    const headers: Record<string, string> = {};
    const count = readVarint(data, pos);
    for (let j = 0; j < count; j++) {
      const k = text();
      const v = text();
      if (k !== null) headers[k] = v ?? "null";
    }
    if (offset >= from) out.push({ offset, epoch, timestamp, key, value, headers });
  }
}
