/**
 * The hand-written checks (plain.ts) against the contracts' zod schemas, on random payloads:
 * whatever a check accepts, the schema accepts with the same values — and the usual payloads are
 * accepted (else the check would save nothing).
 */
import { describe, expect, test } from "bun:test";
import type { z } from "zod";
import { seededRandom } from "../../../test/support/random.ts";
import * as room from "../../contracts/room.ts";
import * as telemetry from "../../contracts/telemetry.ts";
import * as tempTest from "../../contracts/temp-test.ts";
import { parseTelemetry, parseTempTest, plainTelemetry, plainTempTest } from "./readings.ts";
import { parseRoomStatus, plainRoomStatus } from "./room.ts";
import { msgIdHeaderOf } from "./identity.ts";
import { UNSURE } from "./plain.ts";

const random = seededRandom(17);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** values a field may hold in a payload, right and wrong (undefined: the field is absent) */
const values: readonly unknown[] = [
  undefined,
  0,
  -0,
  21.5,
  -40,
  1e300,
  1_700_000_000,
  1_700_000_000_000,
  2 ** 53,
  0.5,
  Infinity, // 1e400 in JSON
  NaN,
  "21.5",
  "",
  " ",
  "abc",
  "1e3",
  "0x10",
  "12",
  "007",
  "2026-11-22 10:00:00",
  "2026-11-22T10:00:00Z",
  "m-1",
  "x".repeat(128),
  "x".repeat(129),
  "3DF92-192",
  "../x",
  null,
  true,
  [],
  [1],
  {},
  { temperature: 1 },
];

function randomObject(fields: readonly string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of fields) {
    const v = pick(values);
    if (v !== undefined) o[f] = v;
  }
  if (random() < 0.1) o.extra = pick(values);
  return o;
}

/** plain(o) accepted ⇒ the schema accepts o with the same output; returns how many it accepted */
function agreeing<T>(
  schema: z.ZodType,
  plain: (o: Record<string, unknown>) => T | typeof UNSURE,
  make: () => Record<string, unknown>,
  shape: (zodOutput: never) => T = (x) => x as T,
): number {
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const o = make();
    const p = plain(o);
    if (p === UNSURE) continue;
    accepted++;
    const checked = schema.safeParse(o);
    expect({ o, success: checked.success }).toEqual({ o, success: true });
    expect(p).toEqual(shape(checked.data as never));
  }
  return accepted;
}

describe("the hand-written checks accept only what the contracts accept, with the same values", () => {
  test("telemetry", () => {
    const accepted = agreeing(telemetry.schema, plainTelemetry, () =>
      randomObject(["temperature", "humidity", "ts", "msg_id"]),
    );
    expect(accepted).toBeGreaterThan(100);
  });

  test("temp_test", () => {
    const accepted = agreeing(tempTest.schema, plainTempTest, () => {
      const o = randomObject(["m_id", "datetime", "temp", "humidity", "msg_id"]);
      // right enough often enough to reach the accepting paths
      if (random() < 0.5) o.m_id = pick(["0", 0, 7, "pi-1", "3DF92-192", -1, 1.5, ""]);
      if (random() < 0.5) o.datetime = pick(["2026-11-22 10:00:00", 1_700_000_000, "soon"]);
      return o;
    });
    expect(accepted).toBeGreaterThan(100);
  });

  test("room (the /office_status body)", () => {
    const accepted = agreeing(
      room.schema,
      plainRoomStatus,
      () => {
        const o = randomObject(["room_no", "status"]);
        if (random() < 0.5) o.room_no = pick([1, "2", 0, "007", -3, 2 ** 53]);
        if (random() < 0.7) o.status = randomObject(["temperature", "humidity"]);
        return o;
      },
      (d: z.infer<typeof room.schema>) => ({
        roomNo: d.room_no,
        temperature: d.status.temperature ?? null,
        humidity: d.status.humidity ?? null,
      }),
    );
    expect(accepted).toBeGreaterThan(100);
  });

  test("the usual payloads take the hand-written path", () => {
    const json = (v: string) => JSON.parse(v) as Record<string, unknown>;
    expect(plainTelemetry(json(`{"ts":1764669600000,"temperature":21,"msg_id":"m-1"}`))).not.toBe(
      UNSURE,
    );
    expect(
      plainTempTest(json(`{"m_id":"0","datetime":"2026-11-22 10:00:00","temp":"23.0"}`)),
    ).not.toBe(UNSURE);
    expect(
      plainRoomStatus(json(`{"room_no":1,"status":{"humidity":10,"temperature":30}}`)),
    ).not.toBe(UNSURE);
  });
});

describe("what they leave to the schema still gets the schema's reason", () => {
  const reason = (fn: () => unknown) => {
    try {
      fn();
      return "accepted";
    } catch (e) {
      return (e as Error).message;
    }
  };
  const b = (s: string) => Buffer.from(s);
  test.each([
    [() => parseTelemetry("pi", b(`{"temperature":1e400}`), 0), /^temperature: expected a number/],
    [() => parseTelemetry("pi", b(`{"temperature":"hot"}`), 0), /^temperature: expected a number/],
    [() => parseTelemetry("pi", b(`{"ts":"soon","humidity":1}`), 0), /^ts: expected a time/],
    [() => parseTelemetry("pi", b(`{"msg_id":"","humidity":1}`), 0), /^msg_id must be a string/],
    [() => parseTelemetry("pi", b(`{"msg_id":"m"}`), 0), /neither temperature nor humidity/],
    [() => parseTempTest(b(`{"m_id":"..","datetime":1,"temp":1}`)), /^m_id: /],
    [() => parseRoomStatus(b(`{"room_no":1.5,"status":{"temperature":1}}`)), /^room_no: /],
    [() => parseRoomStatus(b(`{"room_no":1,"status":{}}`)), /needs temperature or humidity/],
    [() => parseRoomStatus(b(`{"room_no":1,"status":{"humidity":1e400}}`)), /^status.humidity: /],
    [() => parseRoomStatus(b(`{"room_no":1,"status":[]}`)), /^status: /],
    [() => msgIdHeaderOf({ msg_id: "x".repeat(129) }), /^header msg_id must be a string/],
  ])("%#", (fn, message) => expect(reason(fn)).toMatch(message));
});
