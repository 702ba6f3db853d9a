/**
 * RecordBatch v2 (magic 2), as the Kafka protocol guide's "Record Batch" section lays it out:
 * baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32,
 * attributes int16, lastOffsetDelta int32, base/max timestamps int64, producerId int64, epoch
 * int16, baseSequence int32, then the records (varint-framed). The broker validates each batch (lengths,
 * magic, CRC-32C over [attributes, end)), assigns offsets by rewriting baseOffset (not covered by
 * the CRC), and otherwise keeps the bytes exactly as sent: compressed batches stay compressed.
 */
import { gzipSync } from "node:zlib";
import { crc32c } from "../../core/checksum/crc32c.ts";
import {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  DecompressionLimitError,
  gunzipBounded,
} from "../../core/codec/gunzip-bounded.ts";

export { DEFAULT_MAX_UNCOMPRESSED_BYTES };
import { ErrorCode } from "./errors.ts";
import { readVarint, writeVarint } from "../../core/codec/varint.ts";

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

// Big-endian fields read and written byte by byte: a DataView (or BigInt) per header made the
// JS heap churn on every append and fetch, and `.buffer` on a small Buffer moves its bytes out of
// the GC heap into a new ArrayBuffer (measured: ~500 B of garbage per appended batch).
const int32 = (b: Uint8Array, at: number) =>
  (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
const uint32 = (b: Uint8Array, at: number) => int32(b, at) >>> 0;
const int16 = (b: Uint8Array, at: number) => (((b[at]! << 8) | b[at + 1]!) << 16) >> 16;
/** exact up to 2^53, as every offset and timestamp here is */
const int64 = (b: Uint8Array, at: number) => int32(b, at) * 4294967296 + uint32(b, at + 4);

function putInt32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = v >>> 16;
  b[at + 2] = v >>> 8;
  b[at + 3] = v;
}

/** An integer (|v| < 2^53) as a big-endian two's complement int64. */
export function putInt64(b: Uint8Array, at: number, v: number): void {
  const high = Math.floor(v / 4294967296);
  putInt32(b, at, high | 0);
  putInt32(b, at + 4, v - high * 4294967296);
}

/** The batch's partitionLeaderEpoch (outside the CRC, stamped by the leader). */
export function leaderEpochOf(buf: Uint8Array, pos: number): number {
  within(buf, pos, BATCH.LEADER_EPOCH + 4);
  return int32(buf, pos + BATCH.LEADER_EPOCH);
}

/** As a DataView would: a header cut short is an error, never zeros. */
function within(buf: Uint8Array, pos: number, bytes: number): void {
  if (pos < 0 || pos + bytes > buf.length)
    throw new RangeError(`batch header out of range: ${bytes} bytes at ${pos} of ${buf.length}`);
}

export function readBatchHeader(buf: Uint8Array, pos: number): BatchHeader {
  within(buf, pos, BATCH.HEADER_SIZE);
  return {
    baseOffset: int64(buf, pos + BATCH.BASE_OFFSET),
    batchLength: int32(buf, pos + BATCH.LENGTH),
    magic: (buf[pos + BATCH.MAGIC]! << 24) >> 24,
    crc: uint32(buf, pos + BATCH.CRC),
    attributes: int16(buf, pos + BATCH.ATTRIBUTES),
    lastOffsetDelta: int32(buf, pos + BATCH.LAST_OFFSET_DELTA),
    firstTimestamp: int64(buf, pos + BATCH.FIRST_TIMESTAMP),
    maxTimestamp: int64(buf, pos + BATCH.MAX_TIMESTAMP),
    producerId: int64(buf, pos + BATCH.PRODUCER_ID),
    producerEpoch: int16(buf, pos + BATCH.PRODUCER_EPOCH),
    baseSequence: int32(buf, pos + BATCH.BASE_SEQUENCE),
    recordsCount: int32(buf, pos + BATCH.RECORDS_COUNT),
  };
}

export function setBaseOffset(buf: Uint8Array, pos: number, offset: number): void {
  within(buf, pos, 8);
  putInt64(buf, pos + BATCH.BASE_OFFSET, offset);
}

/** The leader stamps its epoch on each batch it appends (outside the CRC, like baseOffset). */
export function setPartitionLeaderEpoch(buf: Uint8Array, pos: number, epoch: number): void {
  within(buf, pos, BATCH.LEADER_EPOCH + 4);
  putInt32(buf, pos + BATCH.LEADER_EPOCH, epoch);
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

const CODECS = ["none", "gzip", "snappy", "lz4", "zstd"];

export interface ScanOptions {
  /** a batch's size on the wire */
  maxBatchBytes: number;
  /** gzip batches: their records' size once decompressed; absent = not checked */
  maxUncompressedBytes?: number;
}

/** Walks concatenated batches, checking each one; any failure rejects the whole set. */
export function scanBatches(records: Uint8Array, opts: ScanOptions): ScanResult {
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
    const codec = h.attributes & 0x7;
    // kept as sent, the batch reaches consumers that decode none but gzip (kafkajs stops for
    // good on snappy, lz4 or zstd): refuse it here, where the producer hears why
    if (codec > 1) {
      return {
        ok: false,
        errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
        reason: `compression ${CODECS[codec] ?? codec} is not supported: send gzip or none`,
      };
    }
    if (opts.maxUncompressedBytes !== undefined && codec === 1) {
      const refused = checkGzip(records.subarray(pos + BATCH.HEADER_SIZE, pos + size), opts);
      if (refused) return refused;
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

/** A gzip batch is refused when it is not gzip or inflates past the limit (a "zip bomb"). */
function checkGzip(data: Uint8Array, opts: ScanOptions): ScanResult | null {
  try {
    gunzipBounded(data, opts.maxUncompressedBytes!);
    return null;
  } catch (e) {
    if (e instanceof DecompressionLimitError)
      return {
        ok: false,
        errorCode: ErrorCode.MESSAGE_TOO_LARGE,
        reason: `gzip batch: ${e.message}`,
      };
    return {
      ok: false,
      errorCode: ErrorCode.CORRUPT_MESSAGE,
      reason: `gzip batch: ${(e as Error).message}`,
    };
  }
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

/** Decodes a batch's records with absolute offsets (codecs: none, gzip — bounded). */
export function decodeRecords(
  batch: Uint8Array,
  maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES,
): Array<Record & { offset: number; timestamp: number }> {
  const h = readBatchHeader(batch, 0);
  const codec = h.attributes & 0x7;
  let data = batch.subarray(BATCH.HEADER_SIZE, BATCH.LOG_OVERHEAD + h.batchLength);
  if (codec === 1) data = gunzipBounded(data, maxUncompressedBytes);
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
