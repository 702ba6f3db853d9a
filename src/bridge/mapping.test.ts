import { describe, expect, test } from "bun:test";
import { defaultRules, mapMessage } from "./mapping.ts";

const map = (topic: string, payload: string) =>
  mapMessage(defaultRules, topic, Buffer.from(payload), 1000);

describe("MQTT → Kafka mapping", () => {
  test("device topics: the id becomes the key and a header", () => {
    const m = map("iot/pi-7/telemetry", '{"temperature":21.5,"humidity":40}');
    expect(m).toMatchObject({
      kind: "record",
      record: {
        topic: "iot.telemetry",
        key: "pi-7",
        headers: { mqtt_topic: "iot/pi-7/telemetry", device_id: "pi-7", received_at: "1000" },
      },
    });
    expect(map("iot/pi-7/image", "\xff\xd8 binary")).toMatchObject({
      kind: "record",
      record: { topic: "iot.image", key: "pi-7" },
    });
    expect(map("iot/pi-7/video", "jpeg")).toMatchObject({ record: { topic: "iot.video" } });
    expect(map("iot/pi-7/status", '{"status":"online"}')).toMatchObject({
      record: { topic: "iot.status" },
    });
  });

  test("the seeds' topics: coffee keyed by its id, hello/world text unkeyed", () => {
    expect(map("coffee", '{"id":"3DF92-192","x":1,"y":2,"status":"Active"}')).toMatchObject({
      kind: "record",
      record: { topic: "coffee", key: "3DF92-192" },
    });
    expect(map("hello/world", "42 3 2026-11-22 10:00:00")).toMatchObject({
      kind: "record",
      record: { topic: "hello.world", key: null },
    });
  });

  test("bad payloads become dead letters with a reason", () => {
    expect(map("coffee", "{nope")).toMatchObject({
      kind: "dead-letter",
      reason: expect.stringContaining("invalid JSON"),
    });
    expect(map("coffee", '{"x":1}')).toMatchObject({
      kind: "dead-letter",
      reason: "field 'id' must be a non-empty string",
    });
    expect(map("iot/a/telemetry", "[1,2]")).toMatchObject({
      kind: "dead-letter",
      reason: "payload must be a JSON object",
    });
  });

  test("anything else is unmapped", () => {
    expect(map("iot/a/b/telemetry", "{}")).toEqual({ kind: "unmapped" });
    expect(map("random", "x")).toEqual({ kind: "unmapped" });
  });
});
