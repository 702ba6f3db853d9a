import { describe, expect, test } from "bun:test";
import { openStore } from "../../store/index.ts";
import { sqliteEngine } from "../../store/engine/index.ts";
import { roomRows } from "../../store/rooms.ts";
import { seriesRoutes } from "./series.ts";

const NOW = 10 * 86_400_000;
const { db } = openStore(":memory:");
const rooms = roomRows(db);
for (let i = 0; i < 10; i++)
  rooms.insertReading({
    roomNo: 3,
    ts: NOW - i * 60_000,
    temperature: 20 + i,
    humidity: 40,
    srcTopic: "room",
    srcPartition: 0,
    srcOffset: i,
    srcEpoch: 0,
    srcTimestamp: 0,
  });
const app = seriesRoutes({ engine: sqliteEngine(db), now: () => NOW });
const get = async (query: string) => {
  const res = await app.request(`/api/series?${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("GET /api/series", () => {
  test("the last 24 h of a room by default, downsampled to at most 1000 buckets", async () => {
    const { status, body } = await get("room_no=3");
    expect(status).toBe(200);
    expect(body.until_ms).toBe(NOW);
    expect(body.bucket).toBe("PT120S");
    expect(body.bucket_ms).toBe(120_000);
    // 10 one-minute readings up to NOW, a bucket boundary: NOW alone, then pairs, then one
    expect((body.t as number[]).length).toBe(6);
    expect((body.temperature as { max: number[] }).max.at(-1)).toBe(20);
  });

  test("an explicit bucket size and span", async () => {
    const { status, body } = await get(
      `room_no=3&since=${NOW - 120_000}&until=${NOW}&bucket_ms=60000`,
    );
    expect(status).toBe(200);
    expect(body.t).toEqual([NOW - 120_000, NOW - 60_000, NOW]);
  });

  test.each([
    ["", "room_no"],
    ["room_no=1&device_id=pi", "room_no"],
    ["room_no=x", "room_no"],
    ["room_no=-1", "room_no"],
    ["device_id=", "device_id"],
    [`device_id=${"d".repeat(129)}`, "device_id"],
    ["room_no=1&since=abc", "since"],
    ["room_no=1&since=1.5", "since"],
    ["room_no=1&until=-5", "until"],
    [`room_no=1&since=${NOW}&until=${NOW}`, "since"],
    [`room_no=1&since=0&until=${NOW * 100}`, "since"],
    ["room_no=1&buckets=0", "buckets"],
    ["room_no=1&buckets=2001", "buckets"],
    ["room_no=1&bucket_ms=999", "bucket_ms"],
    ["room_no=1&bucket_ms=1000", "bucket_ms"], // 24 h in 1 s buckets: too many
  ])("?%s is a 400 naming %s", async (query, name) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(String(body.message).startsWith(`${name}:`)).toBe(true);
  });
});
