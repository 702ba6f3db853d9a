import { expect, test } from "bun:test";
import { isDiskError, isKafkaStorageError, StorageError } from "./errors.ts";

test("a Kafka storage refusal is spotted by type, code, a wrapped cause or kafkajs's log text", () => {
  expect(isKafkaStorageError({ type: "KAFKA_STORAGE_ERROR" })).toBe(true);
  expect(isKafkaStorageError({ code: 56 })).toBe(true);
  expect(isKafkaStorageError(new Error("send failed", { cause: { code: 56 } }))).toBe(true);
  expect(
    isKafkaStorageError("Response Produce: Disk error when trying to access log file on the disk"),
  ).toBe(true);
  expect(isKafkaStorageError({ type: "REQUEST_TIMED_OUT" })).toBe(false);
  expect(isKafkaStorageError("Connection timeout")).toBe(false);
  expect(isKafkaStorageError(null)).toBe(false);
});

test("a local disk refusal is spotted by its code, also wrapped", () => {
  const full = Object.assign(new Error("no space"), { code: "ENOSPC" });
  expect(isDiskError(full)).toBe(true);
  expect(isDiskError(new StorageError("append", full))).toBe(true);
  expect(isDiskError({ code: "SQLITE_IOERR_WRITE" })).toBe(true);
  expect(isDiskError(new Error("bug"))).toBe(false);
});
