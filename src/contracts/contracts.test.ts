import { describe, expect, test } from "bun:test";
import { z } from "zod";
import * as coffee from "./coffee.ts";
import * as entrance from "./entrance.ts";
import { bridged, contracts } from "./index.ts";
import { check, jsonObject } from "./problem.ts";
import * as roomRule from "./room-rule.ts";
import * as room from "./room.ts";
import * as tempTest from "./temp-test.ts";

describe("one contract per topic", () => {
  test("every topic the product reads or writes, under the seeds' names", () => {
    expect(contracts.map((c) => c.topic)).toEqual([
      "temp_test",
      "imgtest",
      "rtsp-stream",
      "entrance",
      "room",
      "room_rule",
      "coffee",
      "hello.world",
      "iot.telemetry",
      "iot.image",
      "iot.video",
      "iot.status",
      "iot.command",
      "iot.dead-letter",
    ]);
    for (const c of contracts) expect(c.key.length * c.msgId.length).toBeGreaterThan(0);
    expect(bridged.map((c) => c.mqtt!.filter).sort()).toEqual([
      "coffee",
      "hello/world",
      "iot/+/image",
      "iot/+/status",
      "iot/+/telemetry",
      "iot/+/video",
    ]);
  });

  test("each schema becomes JSON Schema for the API reference, with its description", () => {
    for (const c of contracts) {
      const json = z.toJSONSchema(c.schema, { io: "input", unrepresentable: "any" });
      expect({ topic: c.topic, described: typeof json.description }).toEqual({
        topic: c.topic,
        described: "string",
      });
    }
  });
});

describe("the seeds' wire contracts, byte for byte", () => {
  const ok = (schema: z.ZodType, raw: string) => check(schema, JSON.parse(raw));
  test("the examples the seeds send are accepted", () => {
    const seeds: Array<[z.ZodType, string]> = [
      [tempTest.schema, '{"m_id":"0","datetime":"2026-11-22 10:00:00","temp":"23.0"}'],
      [coffee.schema, '{"id":"3DF92-192","x":1,"y":2,"status":"Active"}'],
      [entrance.requestSchema, '{"name":"jane","value":"in"}'],
      [room.schema, '{"room_no":1,"status":{"humidity":10,"temperature":30}}'],
      [
        roomRule.schema,
        '{"room_no":1,"value":{"schedule_id":1,"order":"insert","condition":{"temperature":{"agg_type":"min","up":20,"down":null}}}}',
      ],
    ];
    for (const [schema, raw] of seeds) expect(ok(schema, raw)).toMatchObject({ ok: true });
  });

  test("an entrance record is keyed by the name, its time in the seed's format", () => {
    const at = new Date(2026, 10, 22, 9, 5, 7);
    expect(entrance.recordOf({ name: "jane", value: "out" }, at)).toEqual({
      key: "jane",
      value: { record_type: "out", value: "2026-11-22 09:05:07" },
    });
  });

  test("a rule needs a bound unless it deletes", () => {
    const rule = (order: string) => ({ room_no: 1, value: { schedule_id: 1, order } });
    expect(check(roomRule.schema, rule("delete")).ok).toBe(true);
    expect(check(roomRule.schema, rule("insert"), "body")).toEqual({
      ok: false,
      problem: "value.condition: no temperature or humidity bound",
    });
  });
});

describe("problems name their field", () => {
  test("field: message, the whole at the top, a message naming its field kept", () => {
    expect(check(tempTest.schema, { m_id: "0", datetime: 1, temp: "hot" })).toEqual({
      ok: false,
      problem: 'temp: expected a number, got "hot"',
    });
    expect(check(tempTest.schema, { datetime: 1, temp: 1 })).toEqual({
      ok: false,
      problem: "m_id is missing",
    });
    expect(check(room.schema, [], "body")).toMatchObject({
      problem: expect.stringMatching(/^body: /),
    });
  });

  test("a JSON payload must be an object", () => {
    expect(jsonObject(Buffer.from("[1]"))).toEqual({
      ok: false,
      problem: "payload must be a JSON object",
    });
    expect(jsonObject(Buffer.from("{x"))).toMatchObject({
      problem: expect.stringMatching(/^invalid JSON: /),
    });
    expect(jsonObject(Buffer.from('{"a":1}'))).toEqual({ ok: true, data: { a: 1 } });
  });
});
