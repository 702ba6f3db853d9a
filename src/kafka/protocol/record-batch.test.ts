import { describe, expect, test } from "bun:test";
import { ErrorCode } from "./errors.ts";
import { crc32c } from "../../core/checksum/crc32c.ts";
import { DecompressionLimitError } from "../../core/codec/gunzip-bounded.ts";
import {
  BATCH,
  decodeRecords,
  encodeRecordBatch,
  leaderEpochOf,
  putInt64,
  readBatchHeader,
  scanBatches,
  setBaseOffset,
  setPartitionLeaderEpoch,
} from "./record-batch.ts";

// kafkajs's own encoder is the oracle: what a real client sends must scan cleanly.
const { RecordBatch: KafkajsRecordBatch } = require("kafkajs/src/protocol/recordBatch/v0/index.js");
const KafkajsRecord = require("kafkajs/src/protocol/recordBatch/record/v0/index.js");
const { Types } = require("kafkajs/src/protocol/message/compression/index.js");

async function kafkajsBatch(values: string[], compression = Types.None): Promise<Buffer> {
  const now = Date.now();
  const records = values.map((v, i) =>
    KafkajsRecord({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(v) }),
  );
  const batch = await KafkajsRecordBatch({
    compression,
    records,
    firstTimestamp: now,
    maxTimestamp: now,
    lastOffsetDelta: values.length - 1,
  });
  return batch.buffer;
}

const max = { maxBatchBytes: 1 << 20 };

describe("record batches", () => {
  test("batches from kafkajs, plain and gzip, scan as valid and decode", async () => {
    for (const compression of [Types.None, Types.GZIP]) {
      const buf = await kafkajsBatch(["a", "bb", "ccc"], compression);
      const scan = scanBatches(buf, max);
      expect(scan).toMatchObject({
        ok: true,
        batches: [{ start: 0, end: buf.length, lastOffsetDelta: 2 }],
      });
      expect(readBatchHeader(buf, 0).attributes & 7).toBe(compression === Types.GZIP ? 1 : 0);
      expect(decodeRecords(buf).map((r) => Buffer.from(r.value!).toString())).toEqual([
        "a",
        "bb",
        "ccc",
      ]);
    }
  });

  test("our encoder round-trips keys, values, nulls and headers; concatenated batches scan", () => {
    const a = encodeRecordBatch({
      records: [
        { key: null, value: Buffer.from("v1"), headers: [{ key: "h", value: Buffer.from("x") }] },
        { key: Buffer.from("k"), value: null, timestamp: 5 },
      ],
      compression: "gzip",
    });
    const b = encodeRecordBatch({ records: [{ key: null, value: Buffer.from("z") }] });
    const both = Buffer.concat([a, b]);
    const scan = scanBatches(both, max);
    expect(scan.ok && scan.batches.map((x) => [x.start, x.end])).toEqual([
      [0, a.length],
      [a.length, both.length],
    ]);
    const recs = decodeRecords(a);
    expect(recs[0]!.key).toBeNull();
    expect(recs[0]!.headers).toEqual([{ key: "h", value: Buffer.from("x") }]);
    expect(recs[1]!.value).toBeNull();
    expect(recs[1]!.timestamp).toBe(5);
  });

  test("baseOffset is rewritable without breaking the CRC", async () => {
    const buf = await kafkajsBatch(["x", "y"]);
    setBaseOffset(buf, 0, 123456789012);
    expect(readBatchHeader(buf, 0).baseOffset).toBe(123456789012);
    expect(scanBatches(buf, max).ok).toBe(true);
    expect(decodeRecords(buf).map((r) => r.offset)).toEqual([123456789012, 123456789013]);
  });

  test("header fields read as Buffer's big-endian readers read them", () => {
    let seed = 7;
    const byte = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    for (let n = 0; n < 500; n++) {
      const b = Buffer.alloc(BATCH.HEADER_SIZE + 3);
      for (let i = 0; i < b.length; i++) b[i] = byte();
      // int64 fields within ±2^53, as offsets, timestamps and producer ids are
      for (const at of [
        BATCH.BASE_OFFSET,
        BATCH.FIRST_TIMESTAMP,
        BATCH.MAX_TIMESTAMP,
        BATCH.PRODUCER_ID,
      ])
        b[3 + at] = b[3 + at + 1]! & 0x80 ? 0xff : 0;
      for (const at of [
        BATCH.BASE_OFFSET,
        BATCH.FIRST_TIMESTAMP,
        BATCH.MAX_TIMESTAMP,
        BATCH.PRODUCER_ID,
      ])
        b[3 + at + 1] = b[3 + at]! === 0xff ? b[3 + at + 1]! | 0xe0 : b[3 + at + 1]! & 0x1f;
      const h = readBatchHeader(b, 3);
      const i64 = (at: number) => Number(b.readBigInt64BE(3 + at));
      expect(h).toEqual({
        baseOffset: i64(BATCH.BASE_OFFSET),
        batchLength: b.readInt32BE(3 + BATCH.LENGTH),
        magic: b.readInt8(3 + BATCH.MAGIC),
        crc: b.readUInt32BE(3 + BATCH.CRC),
        attributes: b.readInt16BE(3 + BATCH.ATTRIBUTES),
        lastOffsetDelta: b.readInt32BE(3 + BATCH.LAST_OFFSET_DELTA),
        firstTimestamp: i64(BATCH.FIRST_TIMESTAMP),
        maxTimestamp: i64(BATCH.MAX_TIMESTAMP),
        producerId: i64(BATCH.PRODUCER_ID),
        producerEpoch: b.readInt16BE(3 + BATCH.PRODUCER_EPOCH),
        baseSequence: b.readInt32BE(3 + BATCH.BASE_SEQUENCE),
        recordsCount: b.readInt32BE(3 + BATCH.RECORDS_COUNT),
      });
      expect(leaderEpochOf(b, 3)).toBe(b.readInt32BE(3 + BATCH.LEADER_EPOCH));
    }
  });

  test("offsets, epochs and int64s are written as Buffer's big-endian writers write them", () => {
    for (const v of [
      0,
      1,
      -1,
      2 ** 31,
      2 ** 32 - 1,
      2 ** 32,
      123456789012,
      2 ** 53 - 1,
      -(2 ** 40) - 3,
    ]) {
      const ours = Buffer.alloc(10);
      putInt64(ours, 1, v);
      const theirs = Buffer.alloc(10);
      theirs.writeBigInt64BE(BigInt(v), 1);
      expect(ours).toEqual(theirs);
    }
    const b = Buffer.alloc(BATCH.HEADER_SIZE);
    setBaseOffset(b, 0, 2 ** 40 + 5);
    setPartitionLeaderEpoch(b, 0, -2);
    expect(b.readBigInt64BE(BATCH.BASE_OFFSET)).toBe(BigInt(2 ** 40 + 5));
    expect(b.readInt32BE(BATCH.LEADER_EPOCH)).toBe(-2);
  });

  test("a header cut short is an error, as it was with a DataView, never zeros", () => {
    const short = Buffer.alloc(BATCH.HEADER_SIZE - 1);
    expect(() => readBatchHeader(short, 0)).toThrow(RangeError);
    expect(() => readBatchHeader(Buffer.alloc(BATCH.HEADER_SIZE + 4), 5)).toThrow(RangeError);
    expect(() => leaderEpochOf(Buffer.alloc(BATCH.LEADER_EPOCH + 3), 0)).toThrow(RangeError);
    expect(() => setBaseOffset(Buffer.alloc(7), 0, 1)).toThrow(RangeError);
    expect(() => setPartitionLeaderEpoch(Buffer.alloc(BATCH.LEADER_EPOCH + 3), 0, 1)).toThrow(
      RangeError,
    );
  });

  test("headers are read and stamped without a DataView: the bytes' ArrayBuffer is never asked for", async () => {
    // a DataView (or Buffer.from(x.buffer)) per batch materialised a small Buffer's ArrayBuffer
    // and left a DataView behind on every append and fetch: JS heap churn at every reading
    const batch = await kafkajsBatch(["x", "y"]);
    const bytes = new Uint8Array(batch.length);
    bytes.set(batch);
    Object.defineProperty(bytes, "buffer", {
      get: () => {
        throw new Error("ArrayBuffer asked for");
      },
    });
    setBaseOffset(bytes, 0, 42);
    setPartitionLeaderEpoch(bytes, 0, 3);
    expect(readBatchHeader(bytes, 0).baseOffset).toBe(42);
    expect(leaderEpochOf(bytes, 0)).toBe(3);
  });

  test("corruption, truncation, wrong magic and size are refused with the right code", async () => {
    const good = await kafkajsBatch(["hello", "world"]);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 1]! ^= 0xff;
    expect(scanBatches(flipped, max)).toMatchObject({
      ok: false,
      errorCode: ErrorCode.CORRUPT_MESSAGE,
      reason: "CRC mismatch",
    });
    expect(scanBatches(good.subarray(0, good.length - 1), max)).toMatchObject({
      ok: false,
      errorCode: 2,
    });
    expect(scanBatches(good.subarray(0, 30), max)).toMatchObject({ ok: false, errorCode: 2 });
    const magic1 = Buffer.from(good);
    magic1[BATCH.MAGIC] = 1;
    expect(scanBatches(magic1, max)).toMatchObject({ ok: false, errorCode: 2 });
    expect(scanBatches(good, { maxBatchBytes: 40 })).toMatchObject({
      ok: false,
      errorCode: ErrorCode.MESSAGE_TOO_LARGE,
    });
    expect(scanBatches(new Uint8Array(0), max)).toMatchObject({ ok: false });
  });

  test("a gzip batch inflating past the limit is refused, and is not decoded", async () => {
    const bomb = await kafkajsBatch(["a".repeat(4 << 20)], Types.GZIP); // a few KiB gzipped
    expect(bomb.length).toBeLessThan(64 << 10);
    const limits = { maxBatchBytes: 1 << 20, maxUncompressedBytes: 1 << 20 };
    expect(scanBatches(bomb, limits)).toMatchObject({
      ok: false,
      errorCode: ErrorCode.MESSAGE_TOO_LARGE,
      reason: "gzip batch: records decompress to more than 1048576 bytes",
    });
    expect(scanBatches(bomb, { ...limits, maxUncompressedBytes: 8 << 20 }).ok).toBe(true);
    expect(() => decodeRecords(bomb, 1 << 20)).toThrow(DecompressionLimitError);
    expect(decodeRecords(bomb, 8 << 20)[0]!.value!.length).toBe(4 << 20);
  });

  test("a batch flagged gzip whose records are not gzip is refused as corrupt", () => {
    const plain = encodeRecordBatch({ records: [{ key: null, value: Buffer.from("not gzip") }] });
    const lying = Buffer.from(plain);
    lying.writeInt16BE(1, BATCH.ATTRIBUTES); // says gzip
    lying.writeUInt32BE(crc32c(lying, BATCH.ATTRIBUTES), BATCH.CRC);
    expect(
      scanBatches(lying, { maxBatchBytes: 1 << 20, maxUncompressedBytes: 1 << 20 }),
    ).toMatchObject({
      ok: false,
      errorCode: ErrorCode.CORRUPT_MESSAGE,
    });
  });

  test("snappy, lz4 and zstd batches are refused: no consumer here could decode them", () => {
    const plain = encodeRecordBatch({ records: [{ key: null, value: Buffer.from("v") }] });
    for (const [codec, name] of [
      [2, "snappy"],
      [3, "lz4"],
      [4, "zstd"],
    ] as const) {
      const other = Buffer.from(plain);
      other.writeInt16BE(codec, BATCH.ATTRIBUTES);
      other.writeUInt32BE(crc32c(other, BATCH.ATTRIBUTES), BATCH.CRC);
      expect(scanBatches(other, max)).toEqual({
        ok: false,
        errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
        reason: `compression ${name} is not supported: send gzip or none`,
      });
    }
  });
});
