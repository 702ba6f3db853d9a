import { describe, expect, test } from "bun:test";
import * as room from "./room.ts";
import { fastRoomStatus } from "./room-plain.ts";

/** what the collector produced before the fast path: zod's parse, as JSON */
const viaZod = (raw: unknown) => {
  const parsed = room.schema.safeParse(raw);
  return parsed.success ? JSON.stringify(parsed.data) : undefined;
};

const accepted: unknown[] = [
  { room_no: 1, status: { humidity: 10, temperature: 30 } },
  { room_no: 4, status: { temperature: 21.5, humidity: 40 } }, // zod's key order comes out
  { room_no: "12", status: { humidity: 0 } },
  { room_no: "007", status: { temperature: -3.25 } },
  { room_no: -2, status: { temperature: 1e300 } },
  { room_no: 2 ** 53 - 1, status: { humidity: 1 } },
  { room_no: 1, status: { humidity: 1, pressure: 1000 }, extra: { x: [1] } }, // extras stripped
];

const refused: unknown[] = [
  null,
  [],
  "x",
  1,
  {},
  { room_no: 1 },
  { room_no: 1, status: null },
  { room_no: 1, status: [] },
  { room_no: 1, status: {} },
  { room_no: 1, status: { humidity: null } },
  { room_no: 1, status: { humidity: "10" } },
  { room_no: 1, status: { temperature: Infinity } },
  { room_no: 1, status: { temperature: NaN } },
  { room_no: 1, status: { temperature: 1, humidity: "x" } },
  { room_no: 1.5, status: { humidity: 1 } },
  { room_no: 2 ** 60, status: { humidity: 1 } },
  { room_no: "99999999999999999999", status: { humidity: 1 } },
  { room_no: "1.5", status: { humidity: 1 } },
  { room_no: "-1", status: { humidity: 1 } },
  { room_no: "", status: { humidity: 1 } },
  { room_no: [1], status: { humidity: 1 } },
  { room_no: null, status: { humidity: 1 } },
  { room_no: true, status: { humidity: 1 } },
];

describe("fastRoomStatus", () => {
  test("the seed's bodies take the fast path and give zod's record byte for byte", () => {
    for (const raw of accepted) {
      const fast = JSON.stringify(fastRoomStatus(raw)) as string | undefined;
      expect({ raw, fast }).toEqual({ raw, fast: viaZod(raw) });
    }
  });

  test("what zod refuses never passes the fast path (zod then gives the reason)", () => {
    for (const raw of refused) {
      expect({ raw, zod: viaZod(raw) }).toEqual({ raw, zod: undefined });
      expect({ raw, fast: fastRoomStatus(raw) }).toEqual({ raw, fast: undefined });
    }
  });

  test("random bodies: whenever the fast path answers, zod agrees exactly", () => {
    const values = [0, 1, -1, 1.5, 2 ** 53, 2 ** 60, "1", "01", "x", "", null, true, [], {}, [1]];
    const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = (n: number) => Math.floor(Math.random() * n);
      const status: Record<string, unknown> = {};
      if (r(3)) status.humidity = pick(values, r(99));
      if (r(3)) status.temperature = pick(values, r(99));
      if (!r(8)) status.other = pick(values, r(99));
      const raw: Record<string, unknown> = {};
      if (r(8)) raw.room_no = pick(values, r(99));
      if (r(8)) raw.status = r(10) ? status : pick(values, r(99));
      const got = fastRoomStatus(raw);
      if (got !== undefined) fast++;
      expect({ raw, got: got === undefined ? undefined : JSON.stringify(got) }).toEqual({
        raw,
        got: got === undefined ? undefined : viaZod(raw),
      });
    }
    expect(fast).toBeGreaterThan(1000); // the comparison above was not vacuous
  });
});
