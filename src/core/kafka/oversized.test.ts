/**
 * The bounded gzip codec as kafkajs itself uses it: batches made by kafkajs's encoder, decoded
 * by kafkajs's own RecordBatch decoder, which looks its codec up in the table we replace.
 */
import { afterAll, expect, test } from "bun:test";
import { boundGzipDecompression, defaultRecordLimits } from "./bounded-gzip.ts";
import { OVERSIZED_HEADER, PREFIX_BYTES, reduceOversizedRecords } from "./oversized.ts";
import { DecompressionLimitError } from "../codec/gunzip-bounded.ts";

const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0/index.js");
const Record = require("kafkajs/src/protocol/recordBatch/record/v0/index.js");
const RecordBatchDecoder = require("kafkajs/src/protocol/recordBatch/v0/decoder.js");
const Decoder = require("kafkajs/src/protocol/decoder.js");
const { Types } = require("kafkajs/src/protocol/message/compression/index.js");

const MiB = 1 << 20;
afterAll(() => boundGzipDecompression(defaultRecordLimits));

interface Decoded {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

async function roundTrip(
  values: Array<{ key?: string; value: Buffer; headers?: Record<string, string> }>,
) {
  const now = Date.now();
  const records = values.map((v, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: i,
      key: v.key === undefined ? null : Buffer.from(v.key),
      value: v.value,
      headers: v.headers,
    }),
  );
  const batch = await RecordBatch({
    compression: Types.GZIP,
    firstOffset: "40",
    records,
    firstTimestamp: now,
    maxTimestamp: now,
    lastOffsetDelta: values.length - 1,
  });
  const decoded = await RecordBatchDecoder(new Decoder(batch.buffer));
  return { wire: batch.buffer.length, records: decoded.records as Decoded[] };
}

test("a record past the limit reaches kafkajs reduced: prefix, headers, size; others intact", async () => {
  boundGzipDecompression({ maxUncompressedBytes: 64 * MiB, maxRecordBytes: MiB });
  const big = Buffer.alloc(20 * MiB, "z");
  big.write("HEAD-OF-THE-VALUE", 0);
  const { wire, records } = await roundTrip([
    { key: "a", value: Buffer.from("before") },
    { key: "dev-1", value: big, headers: { msg_id: "m-7", source: "pi" } },
    { key: "c", value: Buffer.from("after") },
  ]);
  expect(wire).toBeLessThan(64 << 10); // compressed: well within any message size
  expect(records.map((r) => r.offset)).toEqual(["40", "41", "42"]);
  expect(`${records[0]!.value}`).toBe("before");
  expect(`${records[2]!.value}`).toBe("after");
  const stub = records[1]!;
  expect(`${stub.key}`).toBe("dev-1");
  expect(stub.value!.length).toBe(PREFIX_BYTES);
  expect(`${stub.value}`).toStartWith("HEAD-OF-THE-VALUE");
  expect(`${stub.headers.msg_id}`).toBe("m-7");
  expect(`${stub.headers.source}`).toBe("pi");
  expect(`${stub.headers[OVERSIZED_HEADER]}`).toBe(String(20 * MiB));
});

test("a batch inflating past the batch limit is not decoded at all", async () => {
  boundGzipDecompression({ maxUncompressedBytes: 4 * MiB, maxRecordBytes: MiB });
  expect(roundTrip([{ value: Buffer.alloc(8 * MiB) }])).rejects.toBeInstanceOf(
    DecompressionLimitError,
  );
});

test("records within the limit come back as the very same buffer", async () => {
  const data = Buffer.from([4, 0, 0, 0, 0]); // records of 2, 0 and 0 bytes (zig-zag lengths)
  expect(reduceOversizedRecords(data, 100)).toBe(data);
  expect(() => reduceOversizedRecords(Buffer.from([40, 0]), 100)).toThrow(RangeError);
});
