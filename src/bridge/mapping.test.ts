import { describe, expect, test } from "bun:test";
import { defaultRules, mapMessage, type MappingRule } from "./mapping.ts";

const map = (topic: string, payload: string | Buffer, rules = defaultRules) =>
  mapMessage(rules, topic, Buffer.from(payload), 1000);

describe("MQTT → Kafka mapping, default rules", () => {
  test("telemetry: keyed by the device id, which is also a header; payload kept as is", () => {
    const payload = '{"ts":1700000000000, "temperature":21.5,"humidity":40}';
    const m = map("iot/pi-7/telemetry", payload);
    expect(m).toEqual({
      kind: "record",
      record: {
        topic: "iot.telemetry",
        key: "pi-7",
        value: Buffer.from(payload),
        headers: { mqtt_topic: "iot/pi-7/telemetry", device_id: "pi-7", received_at: "1000" },
      },
    });
  });

  test("image and video frames are raw bytes, not parsed", () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0x00, 0x7b, 0xff, 0xd9]);
    for (const [kind, topic] of [
      ["image", "iot.image"],
      ["video", "iot.video"],
    ]) {
      const m = map(`iot/cam-1/${kind}`, jpeg);
      expect(m).toMatchObject({ kind: "record", record: { topic, key: "cam-1" } });
      if (m.kind === "record") expect(m.record.value.equals(jpeg)).toBe(true);
    }
  });

  test("status must be a JSON object", () => {
    expect(map("iot/pi-7/status", '{"status":"online"}')).toMatchObject({
      kind: "record",
      record: { topic: "iot.status", key: "pi-7", headers: { device_id: "pi-7" } },
    });
    expect(map("iot/pi-7/status", "online")).toMatchObject({
      kind: "dead-letter",
      reason: expect.stringContaining("invalid JSON"),
      record: { topic: "iot.status", key: "pi-7" },
    });
  });

  test("coffee is keyed by the payload's id; hello/world text is unkeyed", () => {
    const coffee = map("coffee", '{"id":"3DF92-192","x":1,"y":2,"status":"Active"}');
    expect(coffee).toMatchObject({
      kind: "record",
      record: {
        topic: "coffee",
        key: "3DF92-192",
        headers: { mqtt_topic: "coffee", received_at: "1000" },
      },
    });
    expect(map("hello/world", "42 3 2026-11-22 10:00:00")).toEqual({
      kind: "record",
      record: {
        topic: "hello.world",
        key: null,
        value: Buffer.from("42 3 2026-11-22 10:00:00"),
        headers: { mqtt_topic: "hello/world", received_at: "1000" },
      },
    });
  });

  test("bad payloads become dead letters with a reason", () => {
    expect(map("coffee", "{nope")).toMatchObject({
      kind: "dead-letter",
      reason: expect.stringContaining("invalid JSON"),
    });
    for (const bad of ['{"x":1}', '{"id":7}', '{"id":""}'])
      expect(map("coffee", bad)).toMatchObject({
        kind: "dead-letter",
        reason: "field 'id' must be a non-empty string",
      });
    for (const notObject of ["[1,2]", "42", "null", '"text"'])
      expect(map("iot/a/telemetry", notObject)).toMatchObject({
        kind: "dead-letter",
        reason: "payload must be a JSON object",
      });
    expect(map("iot//telemetry", "{}")).toMatchObject({
      kind: "dead-letter",
      reason: "the topic level that names the key is empty",
    });
    expect(map("iot/a/telemetry", Buffer.from([0xff, 0xfe]))).toMatchObject({
      kind: "dead-letter",
    });
  });

  test("a device id outside the grammar is a dead letter, from the topic or the coffee id", () => {
    for (const id of ["..", "a b", "-x", "x".repeat(129)])
      expect(map(`iot/${id}/telemetry`, '{"temperature":1}')).toMatchObject({
        kind: "dead-letter",
        reason: expect.stringContaining("device id: "),
      });
    expect(map("coffee", '{"id":"a\\rb","x":1}')).toMatchObject({
      kind: "dead-letter",
      reason: expect.stringContaining("is not a device id"),
    });
  });

  test("anything else is unmapped", () => {
    expect(map("iot/a/b/telemetry", "{}")).toEqual({ kind: "unmapped" });
    expect(map("iot/a/command", "Active")).toEqual({ kind: "unmapped" });
    expect(map("random", "x")).toEqual({ kind: "unmapped" });
  });
});

describe("custom rules", () => {
  const rules: MappingRule[] = [
    { filter: "site/+/+/temp", kafkaTopic: "site.temp", key: { segment: 1 }, headers: { v: "2" } },
    { filter: "site/#", kafkaTopic: "site.other", key: null },
  ];

  test("the first matching rule wins; static headers are added, not overriding", () => {
    expect(map("site/a/dev-9/temp", "1", rules)).toMatchObject({
      kind: "record",
      record: {
        topic: "site.temp",
        key: "dev-9",
        headers: { v: "2", device_id: "dev-9", mqtt_topic: "site/a/dev-9/temp" },
      },
    });
    expect(map("site/a/dev-9/hum", "1", rules)).toMatchObject({
      record: { topic: "site.other", key: null },
    });
    const sneaky: MappingRule[] = [
      { filter: "x", kafkaTopic: "x", key: null, headers: { mqtt_topic: "forged" } },
    ];
    expect(map("x", "1", sneaky)).toMatchObject({ record: { headers: { mqtt_topic: "x" } } });
  });
});

describe("routes worked out once per topic", () => {
  test("the same topic maps by each rule set's own rules, and each message's headers are its own", () => {
    const custom: MappingRule[] = [{ filter: "iot/+/telemetry", kafkaTopic: "t2", key: null }];
    const a = map("iot/pi-1/telemetry", '{"temperature":1}');
    const b = map("iot/pi-1/telemetry", "anything", custom);
    const c = map("iot/pi-1/telemetry", '{"temperature":2}');
    expect(a).toMatchObject({ record: { topic: "iot.telemetry", key: "pi-1" } });
    expect(b).toMatchObject({ record: { topic: "t2", key: null } });
    expect(c).toMatchObject({ record: { topic: "iot.telemetry", key: "pi-1" } });
    if (a.kind !== "record" || c.kind !== "record") throw new Error("records expected");
    a.record.headers.extra = "x";
    expect(c.record.headers.extra).toBeUndefined();
    expect(c.record.value.toString()).toBe('{"temperature":2}');
  });

  test("past the bound, topics still map as before (bad ids stay dead letters)", () => {
    for (let i = 0; i < 5000; i++)
      expect(map(`iot/d-${i}/telemetry`, '{"temperature":1}')).toMatchObject({
        record: { key: `d-${i}` },
      });
    expect(map("iot/d-0/telemetry", '{"temperature":1}')).toMatchObject({
      record: { key: "d-0" },
    });
    for (let round = 0; round < 2; round++)
      expect(map("iot/../telemetry", "{}")).toMatchObject({
        kind: "dead-letter",
        reason: expect.stringContaining("device id: "),
        record: { key: ".." },
      });
  });
});
