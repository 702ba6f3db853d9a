/**
 * RecordBatch v2 (magic 2), kafka-broker.md §3.1. The broker validates each batch (lengths,
 * magic, CRC-32C over [attributes, end)), assigns offsets by rewriting baseOffset (not covered by
 * the CRC), and otherwise keeps the bytes exactly as sent: compressed batches stay compressed.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { crc32c } from "./crc32c.ts";
import { ErrorCode } from "./errors.ts";
import { readVarint, writeVarint } from "./varint.ts";

export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8, // batchLength: bytes after this field
  LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  FIRST_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  HEADER_SIZE: 61,
  LOG_OVERHEAD: 12, // baseOffset + batchLength
} as const;

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

const int64 = (v: DataView, at: number) => v.getInt32(at) * 4294967296 + v.getUint32(at + 4);

export function readBatchHeader(buf: Uint8Array, pos: number): BatchHeader {
  const v = new DataView(buf.buffer, buf.byteOffset + pos, BATCH.HEADER_SIZE);
  return {
    baseOffset: int64(v, BATCH.BASE_OFFSET),
    batchLength: v.getInt32(BATCH.LENGTH),
    magic: v.getInt8(BATCH.MAGIC),
    crc: v.getUint32(BATCH.CRC),
    attributes: v.getInt16(BATCH.ATTRIBUTES),
    lastOffsetDelta: v.getInt32(BATCH.LAST_OFFSET_DELTA),
    firstTimestamp: int64(v, BATCH.FIRST_TIMESTAMP),
    maxTimestamp: int64(v, BATCH.MAX_TIMESTAMP),
    producerId: int64(v, BATCH.PRODUCER_ID),
    producerEpoch: v.getInt16(BATCH.PRODUCER_EPOCH),
    baseSequence: v.getInt32(BATCH.BASE_SEQUENCE),
    recordsCount: v.getInt32(BATCH.RECORDS_COUNT),
  };
}

export function setBaseOffset(buf: Uint8Array, pos: number, offset: number): void {
  new DataView(buf.buffer, buf.byteOffset + pos, 8).setBigInt64(0, BigInt(offset));
}

export interface ScannedBatch {
  start: number;
  end: number;
  lastOffsetDelta: number;
  recordsCount: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  attributes: number;
}

export type ScanResult =
  { ok: true; batches: ScannedBatch[] } | { ok: false; errorCode: number; reason: string };

/** Walks concatenated batches, checking each one; any failure rejects the whole set. */
export function scanBatches(records: Uint8Array, opts: { maxBatchBytes: number }): ScanResult {
  const batches: ScannedBatch[] = [];
  const corrupt = (reason: string): ScanResult => ({
    ok: false,
    errorCode: ErrorCode.CORRUPT_MESSAGE,
    reason,
  });
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH.HEADER_SIZE) return corrupt(`truncated batch at ${pos}`);
    const h = readBatchHeader(records, pos);
    const size = BATCH.LOG_OVERHEAD + h.batchLength;
    if (h.batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD || pos + size > records.length) {
      return corrupt(`batch length ${h.batchLength} does not fit at ${pos}`);
    }
    if (size > opts.maxBatchBytes) {
      return {
        ok: false,
        errorCode: ErrorCode.MESSAGE_TOO_LARGE,
        reason: `batch of ${size} bytes exceeds ${opts.maxBatchBytes}`,
      };
    }
    if (h.magic !== 2) return corrupt(`magic ${h.magic}, only 2 is supported`);
    if (crc32c(records, pos + BATCH.ATTRIBUTES, pos + size) !== h.crc)
      return corrupt("CRC mismatch");
    if (h.lastOffsetDelta < 0 || h.recordsCount !== h.lastOffsetDelta + 1) {
      return { ok: false, errorCode: ErrorCode.INVALID_RECORD, reason: "record count mismatch" };
    }
    batches.push({
      start: pos,
      end: pos + size,
      lastOffsetDelta: h.lastOffsetDelta,
      recordsCount: h.recordsCount,
      firstTimestamp: h.firstTimestamp,
      maxTimestamp: h.maxTimestamp,
      producerId: h.producerId,
      attributes: h.attributes,
    });
    pos += size;
  }
  if (batches.length === 0) return corrupt("no record batch");
  return { ok: true, batches };
}

export interface Record {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: Array<{ key: string; value: Uint8Array | null }>;
  timestamp?: number;
}

/** Builds one batch (tests, and the broker's own tools). Codecs: none or gzip. */
export function encodeRecordBatch(opts: {
  baseOffset?: number;
  records: Record[];
  compression?: "none" | "gzip";
  now?: number;
}): Uint8Array {
  const now = opts.now ?? Date.now();
  const stamps = opts.records.map((r) => r.timestamp ?? now);
  const first = Math.min(...stamps);
  const body: number[] = [];
  opts.records.forEach((r, i) => {
    const rec: number[] = [0];
    writeVarint(rec, stamps[i]! - first);
    writeVarint(rec, i);
    for (const field of [r.key, r.value]) {
      if (field === null) writeVarint(rec, -1);
      else (writeVarint(rec, field.length), rec.push(...field));
    }
    writeVarint(rec, r.headers?.length ?? 0);
    for (const h of r.headers ?? []) {
      const k = Buffer.from(h.key);
      writeVarint(rec, k.length);
      rec.push(...k);
      if (h.value === null) writeVarint(rec, -1);
      else (writeVarint(rec, h.value.length), rec.push(...h.value));
    }
    writeVarint(body, rec.length);
    body.push(...rec);
  });
  const gzip = opts.compression === "gzip";
  const payload = gzip ? gzipSync(Buffer.from(body)) : Buffer.from(body);
  const buf = Buffer.alloc(BATCH.HEADER_SIZE + payload.length);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.length);
  v.setBigInt64(BATCH.BASE_OFFSET, BigInt(opts.baseOffset ?? 0));
  v.setInt32(BATCH.LENGTH, buf.length - BATCH.LOG_OVERHEAD);
  v.setInt8(BATCH.MAGIC, 2);
  v.setInt16(BATCH.ATTRIBUTES, gzip ? 1 : 0);
  v.setInt32(BATCH.LAST_OFFSET_DELTA, opts.records.length - 1);
  v.setBigInt64(BATCH.FIRST_TIMESTAMP, BigInt(first));
  v.setBigInt64(BATCH.MAX_TIMESTAMP, BigInt(Math.max(...stamps)));
  v.setBigInt64(BATCH.PRODUCER_ID, -1n);
  v.setInt16(BATCH.PRODUCER_EPOCH, -1);
  v.setInt32(BATCH.BASE_SEQUENCE, -1);
  v.setInt32(BATCH.RECORDS_COUNT, opts.records.length);
  buf.set(payload, BATCH.HEADER_SIZE);
  v.setUint32(BATCH.CRC, crc32c(buf, BATCH.ATTRIBUTES));
  return buf;
}

/**
 * Decodes a batch's records with absolute offsets (codecs: none, gzip). `maxBytes` bounds what
 * a gzip body may inflate to (a RangeError past it): for batches from untrusted clients.
 */
export function decodeRecords(
  batch: Uint8Array,
  opts: { maxBytes?: number } = {},
): Array<Record & { offset: number; timestamp: number }> {
  const h = readBatchHeader(batch, 0);
  const codec = h.attributes & 0x7;
  let data = batch.subarray(BATCH.HEADER_SIZE, BATCH.LOG_OVERHEAD + h.batchLength);
  if (codec === 1)
    data = opts.maxBytes ? gunzipSync(data, { maxOutputLength: opts.maxBytes }) : gunzipSync(data);
  else if (codec !== 0) throw new Error(`compression codec ${codec} is not supported here`);
  const pos = { at: 0 };
  const bytes = () => {
    const n = readVarint(data, pos);
    if (n < 0) return null;
    const b = data.subarray(pos.at, pos.at + n);
    pos.at += n;
    return b;
  };
  const out: Array<Record & { offset: number; timestamp: number }> = [];
  for (let i = 0; i < h.recordsCount; i++) {
    readVarint(data, pos); // record length
    pos.at++; // attributes
    const timestamp = h.firstTimestamp + readVarint(data, pos);
    const offset = h.baseOffset + readVarint(data, pos);
    const key = bytes();
    const value = bytes();
    const headers = Array.from({ length: readVarint(data, pos) }, () => ({
      key: Buffer.from(bytes() ?? []).toString(),
      value: bytes(),
    }));
    out.push({ offset, timestamp, key, value, headers });
  }
  return out;
}
