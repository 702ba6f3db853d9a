import { describe, expect, test } from "bun:test";
import { encodeRecordBatch, type Record } from "../kafka/protocol/record-batch.ts";
import { kafkaAllowed } from "./kafka-policy.ts";
import type { Principal } from "./roles.ts";

const device: Principal = { subject: "pi-1", role: "device", tokenId: "t1" };
const reader: Principal = { subject: "dash", role: "reader", tokenId: "t2" };
const admin: Principal = { subject: "root", role: "admin", tokenId: "t3" };

const rec = (key: string | null, value: string): Record => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
});
const write = (p: Principal, topic: string, records: Record[], compression?: "gzip") => {
  const batch = encodeRecordBatch({ records, compression });
  return kafkaAllowed(p, {
    op: "write",
    topic,
    records: batch,
    batches: [{ start: 0, end: batch.length }],
  });
};

describe("Kafka policy", () => {
  test("a device writes its own key on the device topics, nothing else", () => {
    expect(write(device, "iot.telemetry", [rec("pi-1", "{}")])).toBeNull();
    expect(write(device, "iot.status", [rec("pi-1", "{}")], "gzip")).toBeNull();
    expect(write(device, "iot.telemetry", [rec("pi-1", "{}"), rec("pi-2", "{}")])).toMatch(
      /key 'pi-2'/,
    );
    expect(write(device, "iot.image", [rec(null, "jpeg")])).toMatch(/key 'null'/);
    expect(write(device, "iot.command", [rec("pi-1", "Active")])).toMatch(/may not write/);
    expect(write(device, "iot.dead-letter", [rec("pi-1", "x")])).toMatch(/may not write/);
    expect(write(device, "entrance", [rec("jane", "{}")])).toMatch(/may not write/);
  });

  test("the seed topics: m_id names the device, the key is optional", () => {
    const reading = (mId: unknown) => JSON.stringify({ m_id: mId, temp: "20.0" });
    expect(write(device, "temp_test", [rec(null, reading("pi-1"))], "gzip")).toBeNull();
    expect(write(device, "imgtest", [rec("pi-1", reading("pi-1"))])).toBeNull();
    expect(write(device, "temp_test", [rec(null, reading("pi-2"))])).toMatch(/m_id 'pi-2'/);
    expect(write(device, "imgtest", [rec(null, "{}")])).toMatch(/m_id 'unknown'/);
    expect(write(device, "temp_test", [rec("pi-2", reading("pi-1"))])).toMatch(/key 'pi-2'/);
    // not JSON: names nobody, and the sink dead-letters it
    expect(write(device, "temp_test", [rec(null, "not json")])).toBeNull();
    expect(write(device, "rtsp-stream", [rec(null, "jpeg")])).toBeNull();
    expect(write(device, "rtsp-stream", [rec("pi-2", "jpeg")])).toMatch(/key 'pi-2'/);
  });

  test("a device reads its commands in its own groups only", () => {
    expect(kafkaAllowed(device, { op: "read", topic: "iot.command" })).toBeNull();
    expect(kafkaAllowed(device, { op: "read", topic: "iot.telemetry" })).not.toBeNull();
    expect(kafkaAllowed(device, { op: "group", group: "iot-device-pi-1-abc" })).toBeNull();
    expect(kafkaAllowed(device, { op: "group", group: "iot-device-pi-2-abc" })).not.toBeNull();
    expect(kafkaAllowed(device, { op: "group", group: "iot-readings" })).not.toBeNull();
    expect(kafkaAllowed(device, { op: "delete", topic: "temp_test" })).not.toBeNull();
    expect(kafkaAllowed(device, { op: "create", topic: "junk" })).not.toBeNull();
    expect(kafkaAllowed(device, { op: "create", topic: "temp_test" })).toBeNull();
    expect(kafkaAllowed(device, { op: "idempotent-write" })).toBeNull();
  });

  test("a reader reads anything in groups outside iot's own, and writes nothing", () => {
    expect(kafkaAllowed(reader, { op: "read", topic: "iot.telemetry" })).toBeNull();
    expect(kafkaAllowed(reader, { op: "group", group: "dash-1" })).toBeNull();
    expect(kafkaAllowed(reader, { op: "group", group: "iot-readings" })).not.toBeNull();
    expect(write(reader, "temp_test", [rec(null, "{}")])).toMatch(/may not write/);
    expect(kafkaAllowed(reader, { op: "idempotent-write" })).not.toBeNull();
    expect(kafkaAllowed(reader, { op: "create", topic: "x" })).not.toBeNull();
  });

  test("an admin may do anything", () => {
    expect(write(admin, "iot.command", [rec("pi-1", "Active")])).toBeNull();
    expect(kafkaAllowed(admin, { op: "delete", topic: "temp_test" })).toBeNull();
    expect(kafkaAllowed(admin, { op: "group", group: "iot-readings" })).toBeNull();
  });
});
