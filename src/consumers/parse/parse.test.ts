import { describe, expect, test } from "bun:test";
import { parseBinLevel } from "./bin-level.ts";
import { parseCoffee } from "./coffee.ts";
import { parseEntrance } from "./entrance.ts";
import { checkJpeg, parseImgTest } from "./jpeg.ts";
import { parseTelemetry, parseTempTest } from "./readings.ts";
import { parseRoomRule, parseRoomStatus } from "./room.ts";

const b = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v));
const local = (s: string) => new Date(s.replace(" ", "T")).getTime();

describe("the seeds' payloads, exactly as they send them", () => {
  test("temp_test: strings for numbers and a local datetime", () => {
    expect(parseTempTest(b({ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "23.0" }))).toEqual({
      deviceId: "0",
      ts: local("2026-11-22 10:00:00"),
      temperature: 23,
      humidity: null,
      msgId: null, // m_id is the device ("0" for every reading), never the message's identity
    });
  });

  test("telemetry: ms, seconds or ISO time; the record time when absent", () => {
    expect(parseTelemetry("pi", b({ ts: 1_700_000_000, temperature: 1 }), 5).ts).toBe(
      1_700_000_000_000,
    );
    expect(parseTelemetry("pi", b({ ts: "2026-11-22T10:00:00Z", humidity: 40 }), 5).ts).toBe(
      Date.parse("2026-11-22T10:00:00Z"),
    );
    expect(parseTelemetry("pi", b({ temperature: "21.5" }), 5)).toEqual({
      deviceId: "pi",
      ts: 5,
      temperature: 21.5,
      humidity: null,
      msgId: null,
    });
    expect(parseTelemetry("pi", b({ msg_id: "m-1", temperature: 1 }), 5).msgId).toBe("m-1");
  });

  test("hello/world bin levels, FULL included", () => {
    expect(parseBinLevel(b("72 3 2026-11-22 10:00:00"))).toMatchObject({
      level: "72",
      full: false,
      binCount: 3,
      mTime: "2026-11-22 10:00:00",
    });
    expect(parseBinLevel(b("FULL 3 2026-11-22 10:05:00"))).toMatchObject({
      level: "FULL",
      full: true,
    });
  });

  test("coffee, entrance, office_status, office_rule", () => {
    expect(parseCoffee(b({ id: "3DF92-192", x: 1, y: 2, status: "Active" }))).toEqual({
      id: "3DF92-192",
      x: 1,
      y: 2,
      status: "Active",
    });
    expect(parseEntrance("jane", b({ record_type: "out", value: "2026-11-22 09:00:00" }))).toEqual({
      name: "jane",
      recordType: "out",
      ts: local("2026-11-22 09:00:00"),
    });
    expect(parseRoomStatus(b({ room_no: 1, status: { humidity: 10, temperature: 30 } }))).toEqual({
      roomNo: 1,
      temperature: 30,
      humidity: 10,
    });
    const rule = {
      room_no: 1,
      value: {
        schedule_id: 1,
        order: "insert",
        condition: { temperature: { agg_type: "mean", up: 20, down: null } },
      },
    };
    expect(parseRoomRule(b(rule))).toEqual({
      roomNo: 1,
      scheduleId: 1,
      order: "insert",
      condition: { temperature: { agg_type: "mean", up: 20, down: null } },
    });
  });

  test("imgtest and raw JPEG checks", () => {
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 16, 0, 32, 3, 1, 34, 0, 2, 17, 1, 3, 17, 1, 0xff, 0xd9,
    ]);
    expect(checkJpeg(jpeg)).toEqual({ width: 32, height: 16 });
    expect(
      parseImgTest(
        b({ m_id: "0", datetime: "2026-11-22 10:00:00", photo: jpeg.toString("base64") }),
      ).jpeg.equals(jpeg),
    ).toBe(true);
  });
});

describe("bad records get a reason (the dead letter's header)", () => {
  const reason = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    return "accepted";
  };
  test.each([
    [() => parseTempTest(b("{not json")), /^invalid JSON/],
    [
      () => parseTempTest(b({ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "hot" })),
      /^temp: expected a number, got "hot"$/,
    ],
    [() => parseTempTest(b({ datetime: "2026-11-22 10:00:00", temp: "1" })), /^m_id is missing$/],
    [() => parseTelemetry(null, b({ temperature: 1 }), 0), /without a device id/],
    [() => parseTelemetry("pi", b({}), 0), /neither temperature nor humidity/],
    [
      () => parseTelemetry("pi", b({ msg_id: 7, temperature: 1 }), 0),
      /^msg_id must be a string of 1–128 characters$/,
    ],
    [() => parseBinLevel(b("HALF 3 2026-11-22 10:00:00")), /^level: expected a number or FULL/],
    [() => parseBinLevel(b("10 3")), /^expected "<level> <bin_count> <date> <time>"/],
    [
      () => parseCoffee(b({ id: "x", status: "Sleeping" })),
      /^status: expected Active or Inactive$/,
    ],
    [
      () => parseEntrance("jane", b({ record_type: "sideways", value: "2026-11-22 09:00:00" })),
      /^record_type/,
    ],
    [
      () =>
        parseRoomRule(b({ room_no: 1, value: { schedule_id: 1, order: "insert", condition: {} } })),
      /no temperature or humidity bound/,
    ],
    [() => checkJpeg(Buffer.from("GIF89a")), /not a JPEG/],
    [() => checkJpeg(Buffer.from([0xff, 0xd8, 1, 2])), /truncated JPEG/],
  ])("%#", (fn, message) => expect(reason(fn)).toMatch(message));
});

describe("device ids from Kafka keys and payload fields keep to the one grammar", () => {
  const reading = { datetime: "2026-11-22 10:00:00", temp: "1" };
  test("the seeds' ids pass, a numeric m_id too", () => {
    expect(parseTempTest(b({ m_id: "0", ...reading })).deviceId).toBe("0");
    expect(parseTempTest(b({ m_id: 0, ...reading })).deviceId).toBe("0");
    expect(parseCoffee(b({ id: "3DF92-192", x: 1, y: 2 })).id).toBe("3DF92-192");
  });
  test("ids that would break topics, paths or views are bad records", () => {
    expect(() => parseTempTest(b({ m_id: "..", ...reading }))).toThrow("m_id: ");
    expect(() => parseCoffee(b({ id: "a\rb" }))).toThrow("is not a device id");
    expect(() => parseTelemetry("+", b({ temperature: 1 }), 0)).toThrow("key: ");
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString("base64");
    expect(() => parseImgTest(b({ m_id: "../x", datetime: 1, photo }))).toThrow("m_id: ");
  });
});
