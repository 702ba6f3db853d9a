import { expect, test } from "bun:test";
import { decodeRecords, scanBatches } from "../../kafka/protocol/record-batch.ts";
import { decodeBatches, encodeBatch } from "./batch-codec.ts";

const limits = { maxUncompressedBytes: 1 << 20, maxRecordBytes: 4096 };

test("a batch the broker's produce validation accepts, read back by both decoders", () => {
  const records = [
    { key: "dev-1", value: '{"t":1}', headers: { msg_id: "m1", at: Buffer.from("9") } },
    { key: null, value: Buffer.from([0, 1, 2]) },
    { key: Buffer.from("k"), value: null },
  ];
  const { bytes, scanned } = encodeBatch(records, 1_800_000_000_000);
  const scan = scanBatches(bytes, { maxBatchBytes: 1 << 20, maxUncompressedBytes: 1 << 20 });
  expect(scan.ok).toBe(true); // lengths, magic and CRC-32C as a client's batch
  if (scan.ok) expect(scan.batches).toEqual([scanned]);
  const generic = decodeRecords(bytes);
  expect(generic.map((r) => r.offset)).toEqual([0, 1, 2]);
  const { records: ours, next } = decodeBatches(bytes, 1, limits);
  expect(next).toBe(3);
  expect(
    ours.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString("hex") ?? null]),
  ).toEqual([
    [1, null, "000102"],
    [2, "k", null],
  ]);
  expect(decodeBatches(bytes, 0, limits).records[0]!.headers).toEqual({ msg_id: "m1", at: "9" });
  expect(ours[0]!.timestamp).toBe(1_800_000_000_000);
});

test("a record over the limit comes reduced, with its size in a header", () => {
  const { bytes } = encodeBatch([{ key: "k", value: Buffer.alloc(10_000, 65) }], 1);
  const [r] = decodeBatches(bytes, 0, limits).records;
  expect(r!.value!.length).toBe(1024);
  expect(r!.headers["iot.oversized-bytes"]).toBe("10000");
});

test("strings are written as their UTF-8 bytes: the same batch as from Buffers", () => {
  const text = { key: "größe-1", value: '{"t":"température ✓ 🌡"}', h: "значение" };
  const asText = encodeBatch([{ key: text.key, value: text.value, headers: { ключ: text.h } }], 5);
  const asBuffers = encodeBatch(
    [
      {
        key: Buffer.from(text.key),
        value: Buffer.from(text.value),
        headers: { ключ: Buffer.from(text.h) },
      },
    ],
    5,
  );
  expect(asText.bytes.equals(asBuffers.bytes)).toBe(true);
  const [r] = decodeBatches(asText.bytes, 0, limits).records;
  expect([r!.key?.toString(), r!.value?.toString(), r!.headers]).toEqual([
    text.key,
    text.value,
    { ключ: text.h },
  ]);
});

test("header text is each record's own, however much of it repeats the record before", () => {
  // bridged records: the same names and topic each time, ids of one length that differ
  const headers = [
    { mqtt_topic: "iot/pi-1/telemetry", msg_id: "id-0001", at: "é1" },
    { mqtt_topic: "iot/pi-1/telemetry", msg_id: "id-0002", at: "e1" },
    { mqtt_topic: "iot/pi-2/telemetry", msg_id: "id-0002", at: "é1" },
    // bytes that are not UTF-8 (U+FFFD), then ASCII of the same byte length
    { mqtt_topic: Buffer.from([0xff, 0xfe, 0x41]), msg_id: "id-0003", at: "\u00ff" },
    { mqtt_topic: "AAA", msg_id: "id-0003", at: "ÿ" },
  ];
  const { bytes } = encodeBatch(
    headers.map((h) => ({ key: null, value: "{}", headers: h })),
    1,
  );
  const decoded = decodeBatches(bytes, 0, limits).records.map((r) => r.headers);
  expect(decoded).toEqual(
    headers.map((h) => ({
      ...h,
      mqtt_topic: typeof h.mqtt_topic === "string" ? h.mqtt_topic : "\ufffd\ufffdA",
    })),
  );
});
