/**
 * RecordBatch v2 written and read straight from and to the pipeline's records: the bytes the
 * embedded broker keeps in its logs are the same as a kafkajs producer's (uncompressed, no
 * producer id), so kafkajs, kcat and kafka-python consumers read them as before.
 */
import { crc32c } from "../../core/checksum/crc32c.ts";
import { gunzipBounded } from "../../core/codec/gunzip-bounded.ts";
import { readVarint } from "../../core/codec/varint.ts";
import { reduceOversizedRecords } from "../../core/kafka/oversized.ts";
import { BATCH, readBatchHeader, type ScannedBatch } from "../../kafka/protocol/record-batch.ts";
import type { BusRecord, ConsumedRecord } from "../types.ts";

const asBytes = (v: string | Buffer | null | undefined): Buffer | null =>
  v === null || v === undefined ? null : typeof v === "string" ? Buffer.from(v) : v;

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

const fieldSize = (b: Buffer | null) => (b === null ? 1 : varintSize(b.length) + b.length);

function putField(buf: Buffer, at: number, b: Buffer | null): number {
  if (b === null) return putVarint(buf, at, -1);
  at = putVarint(buf, at, b.length);
  b.copy(buf, at);
  return at + b.length;
}

export interface EncodedBatch {
  bytes: Buffer;
  /** what the partition log's append needs to know of it (as a produce request's scan says) */
  scanned: ScannedBatch;
}

/** One uncompressed batch holding `records` in order, all stamped `now`. */
export function encodeBatch(records: readonly BusRecord[], now: number): EncodedBatch {
  const prepared = records.map((r, i) => {
    const key = asBytes(r.key);
    const value = asBytes(r.value);
    const headers = Object.entries(r.headers ?? {}).map(
      ([k, v]) => [Buffer.from(k), asBytes(v)] as const,
    );
    let body = 1 + 1 + varintSize(i) + fieldSize(key) + fieldSize(value);
    body += varintSize(headers.length);
    for (const [k, v] of headers) body += fieldSize(k) + fieldSize(v);
    return { key, value, headers, body };
  });
  let size: number = BATCH.HEADER_SIZE;
  for (const p of prepared) size += varintSize(p.body) + p.body;
  const buf = Buffer.allocUnsafe(size);
  let at: number = BATCH.HEADER_SIZE;
  prepared.forEach((p, i) => {
    at = putVarint(buf, at, p.body);
    buf[at++] = 0; // attributes
    at = putVarint(buf, at, 0); // timestamp delta
    at = putVarint(buf, at, i); // offset delta
    at = putField(buf, at, p.key);
    at = putField(buf, at, p.value);
    at = putVarint(buf, at, p.headers.length);
    for (const [k, v] of p.headers) at = putField(buf, putField(buf, at, k), v);
  });
  buf.writeBigInt64BE(0n, BATCH.BASE_OFFSET);
  buf.writeInt32BE(size - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  buf.writeInt32BE(0, BATCH.LEADER_EPOCH);
  buf.writeInt8(2, BATCH.MAGIC);
  buf.writeInt16BE(0, BATCH.ATTRIBUTES);
  buf.writeInt32BE(records.length - 1, BATCH.LAST_OFFSET_DELTA);
  buf.writeBigInt64BE(BigInt(now), BATCH.FIRST_TIMESTAMP);
  buf.writeBigInt64BE(BigInt(now), BATCH.MAX_TIMESTAMP);
  buf.writeBigInt64BE(-1n, BATCH.PRODUCER_ID);
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
    const epoch = new DataView(batch.buffer, batch.byteOffset).getInt32(BATCH.LEADER_EPOCH);
    for (const r of decodeRecordsOf(batch, h, limits)) {
      if (r.offset >= from) records.push({ ...r, epoch });
    }
  }
  return { records, next };
}

function decodeRecordsOf(
  batch: Uint8Array,
  h: ReturnType<typeof readBatchHeader>,
  limits: DecodeLimits,
): Array<Omit<ConsumedRecord, "epoch">> {
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
  const out: Array<Omit<ConsumedRecord, "epoch">> = [];
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
      const k = field();
      const v = field();
      if (k) headers[k.toString("utf8")] = v ? v.toString("utf8") : "null";
    }
    out.push({ offset, timestamp, key, value, headers });
  }
  return out;
}
