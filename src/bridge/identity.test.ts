import { describe, expect, test } from "bun:test";
import { msgIdGenerator } from "../contracts/msg-id.ts";
import { userPropertyHeaders, userPropertyLimits } from "./identity.ts";
import { defaultRules, mapMessage, type KafkaRecord, type MessageContext } from "./mapping.ts";

const generated = () => {
  let n = 0;
  return () => `gen-${n++}`;
};
const record = (topic: string, payload: string | Buffer, ctx: MessageContext = {}): KafkaRecord => {
  const m = mapMessage(defaultRules, topic, Buffer.from(payload), 1000, {
    newMsgId: generated(),
    ...ctx,
  });
  if (m.kind !== "record") throw new Error(`expected a record, got ${JSON.stringify(m)}`);
  return m.record;
};
const deadLetter = (topic: string, payload: string, ctx: MessageContext = {}) =>
  mapMessage(defaultRules, topic, Buffer.from(payload), 1000, { newMsgId: generated(), ...ctx });

describe("msg_id header", () => {
  test("from the MQTT 5 user property, before the payload's field", () => {
    const r = record("iot/pi-1/telemetry", '{"msg_id":"from-json","temperature":20}', {
      userProperties: { msg_id: "from-property" },
    });
    expect(r.headers.msg_id).toBe("from-property");
    // raw payloads too
    const img = record("iot/cam/image", Buffer.from([0xff, 0xd8, 0xff, 0xd9]), {
      userProperties: { msg_id: "img-1" },
    });
    expect(img.headers.msg_id).toBe("img-1");
  });

  test("from a JSON rule's msg_id field when there is no user property", () => {
    expect(record("iot/pi-1/telemetry", '{"msg_id":"m-7","temperature":20}').headers.msg_id).toBe(
      "m-7",
    );
    expect(record("coffee", '{"id":"c-1","msg_id":"c-7","x":1}').headers.msg_id).toBe("c-7");
  });

  test("generated when the message brings none; raw payloads are not searched for one", () => {
    expect(record("iot/pi-1/telemetry", '{"temperature":20}').headers.msg_id).toBe("gen-0");
    expect(record("hello/world", '{"msg_id":"not-json-rule"}').headers.msg_id).toBe("gen-0");
    expect(record("iot/cam/image", "x").headers.msg_id).toBe("gen-0");
  });

  test("an unusable msg_id is a dead letter with the reason", () => {
    for (const bad of ['""', "7", "null", `"${"x".repeat(129)}"`])
      expect(deadLetter("iot/pi-1/telemetry", `{"msg_id":${bad},"temperature":1}`)).toMatchObject({
        kind: "dead-letter",
        reason: "field 'msg_id' must be a string of 1–128 characters",
      });
    expect(
      record("iot/pi-1/telemetry", `{"msg_id":"${"x".repeat(128)}","temperature":1}`).headers
        .msg_id,
    ).toHaveLength(128);
    expect(
      deadLetter("iot/cam/image", "x", { userProperties: { msg_id: "y".repeat(129) } }),
    ).toMatchObject({
      kind: "dead-letter",
      reason: "user property msg_id must be a string of 1–128 characters",
    });
    expect(
      deadLetter("iot/cam/image", "x", { userProperties: { msg_id: ["a", "b"] } }),
    ).toMatchObject({ kind: "dead-letter", reason: expect.stringContaining("several values") });
    // the same value twice is still one id
    expect(
      record("iot/cam/image", "x", { userProperties: { msg_id: ["a", "a"] } }).headers,
    ).toMatchObject({
      msg_id: "a",
    });
  });

  test("generated ids are unique, also across generators (restarts)", () => {
    const ids = new Set<string>();
    for (let g = 0; g < 3; g++) {
      const next = msgIdGenerator();
      for (let i = 0; i < 1000; i++) ids.add(next());
    }
    expect(ids.size).toBe(3000);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(128);
  });
});

describe("user properties become headers", () => {
  test("copied beside the bridge's own headers, which they cannot override", () => {
    const r = record("iot/cam-2/image", "jpeg", {
      userProperties: {
        msg_id: "i-1",
        captured_at: "1800000000000",
        mqtt_topic: "forged",
        device_id: "someone-else",
        received_at: "0",
        dropped_properties: "0",
        multi: ["first", "second"],
      },
    });
    expect(r.headers).toEqual({
      msg_id: "i-1",
      captured_at: "1800000000000",
      multi: "first",
      mqtt_topic: "iot/cam-2/image",
      device_id: "cam-2",
      received_at: "1000",
      dropped_properties: "4",
    });
  });

  test("bounded in count and size; what was left out is counted", () => {
    const { count, nameLength, valueLength } = userPropertyLimits;
    const many = Object.fromEntries(
      Array.from({ length: count + 5 }, (_, i) => [`p${i}`, String(i)]),
    );
    const h = userPropertyHeaders(many);
    expect(Object.keys(h).filter((k) => k.startsWith("p"))).toHaveLength(count);
    expect(h.dropped_properties).toBe("5");
    expect(
      userPropertyHeaders({
        ["n".repeat(nameLength + 1)]: "v",
        big: "v".repeat(valueLength + 1),
        ok: "v".repeat(valueLength),
      }),
    ).toEqual({ ok: "v".repeat(valueLength), dropped_properties: "2" });
    expect(userPropertyHeaders(undefined)).toEqual({});
    expect(userPropertyHeaders({ msg_id: "x" })).toEqual({});
  });

  test("a rule's static headers win over a device's property of the same name", () => {
    const rules = [{ filter: "x/+", kafkaTopic: "x", key: { segment: 0 }, headers: { v: "2" } }];
    const m = mapMessage(rules, "x/d", Buffer.from("1"), 5, {
      userProperties: { v: "forged", other: "kept" },
    });
    expect(m).toMatchObject({ record: { headers: { v: "2", other: "kept" } } });
  });
});
