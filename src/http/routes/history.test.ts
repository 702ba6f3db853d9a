import { expect, test } from "bun:test";
import { openStore } from "../../store/index.ts";
import { sqliteEngine } from "../../store/engine/index.ts";
import { isoTime } from "../api/time.ts";
import { historyRoutes } from "./history.ts";
import { pageSchema } from "./history.ts";

function app() {
  const s = openStore(":memory:");
  const add = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset) VALUES ('pi-1', ?, ?, 't', 0, ?)",
  );
  for (let i = 0; i < 5; i++) add.run(i * 1000, 20 + i, i);
  s.sqlite.run(
    "INSERT INTO entrance_events (name, record_type, ts, src_topic, src_partition, src_offset) VALUES ('jane', 'in', 0, 'e', 0, 0)",
  );
  return historyRoutes({ engine: sqliteEngine(s.db) });
}
const json = async (res: Response) => ({ status: res.status, body: await res.json() });

test("since=0 is a time, not 'no since'; times are ISO with offset plus epoch ms", async () => {
  const a = app();
  const { body } = await json(await a.request("/api/history/readings?since=0&until=2000"));
  expect(body.next).toBeNull();
  expect(body.data).toEqual([
    expect.objectContaining({ ts: isoTime(0), ts_ms: 0, temperature: 20 }),
    expect.objectContaining({ ts: isoTime(1000), ts_ms: 1000, temperature: 21 }),
  ]);
  expect(() => pageSchema("readings").parse(body)).not.toThrow();
  const iso = await json(await a.request("/api/history/readings?since=1970-01-01T00:00:03Z"));
  expect(iso.body.data.map((r: { ts_ms: number }) => r.ts_ms)).toEqual([3000, 4000]);
  const people = await json(await a.request("/api/history/presence?since=0"));
  expect(people.body.data).toEqual([
    { id: 1, name: "jane", record_type: "in", ts: isoTime(0), ts_ms: 0 },
  ]);
});

test("paging: next cursor and Link header lead through every row once", async () => {
  const a = app();
  let url = "/api/history/readings?limit=2";
  const seen: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await a.request(url);
    const body = await res.json();
    seen.push(...body.data.map((r: { ts_ms: number }) => r.ts_ms));
    const link = res.headers.get("link");
    if (!body.next) {
      expect(link).toBeNull();
      break;
    }
    expect(link).toBe(`</api/history/readings?limit=2&cursor=${body.next}>; rel="next"`);
    url = link!.slice(1, link!.indexOf(">"));
  }
  expect(seen).toEqual([0, 1000, 2000, 3000, 4000]);
});

test("bucket: roll-ups with the bucket's start as a time pair", async () => {
  const { body } = await json(await app().request("/api/history/readings?bucket=1m"));
  expect(body.data).toEqual([
    {
      bucket: isoTime(0),
      bucket_ms: 0,
      device_id: "pi-1",
      count: 5,
      temperature_min: 20,
      temperature_mean: 22,
      temperature_max: 24,
      humidity_min: null,
      humidity_mean: null,
      humidity_max: null,
    },
  ]);
  expect(() => pageSchema("readings").parse(body)).not.toThrow();
});

test("bad parameters: 400 naming the parameter", async () => {
  const a = app();
  const cases: Record<string, string> = {
    "since=yesterday": "since: expected epoch milliseconds or ISO 8601 with an offset",
    "until=-5": "until: expected epoch milliseconds or ISO 8601 with an offset",
    "since=2026-11-22T10:00:00": "since: expected epoch milliseconds or ISO 8601 with an offset",
    "bucket=2m": "bucket: expected one of raw, 1m, 5m, 1h, 1d",
    "limit=0": "limit: expected an integer 1..10000",
    "limit=abc": "limit: expected an integer 1..10000",
    "format=xml": "format: expected json or csv",
    "cursor=zzz": "cursor: not a cursor this API gave",
    "since=5000&until=1000": "until: before since",
  };
  for (const [qs, message] of Object.entries(cases))
    expect({ qs, ...(await json(await a.request(`/api/history/readings?${qs}`))) }).toEqual({
      qs,
      status: 400,
      body: { message },
    });
  const first = await (await a.request("/api/history/readings?limit=1")).json();
  expect(
    await json(await a.request(`/api/history/readings?bucket=1h&cursor=${first.next}`)),
  ).toEqual({
    status: 400,
    body: { message: "cursor: belongs to readings with bucket=raw" },
  });
  expect((await a.request("/api/history/rooms?room_no=x")).status).toBe(400);
});

test("CSV: a download named after the list and the day, ISO times, Link still there", async () => {
  const res = await app().request("/api/history/readings?format=csv&limit=2");
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(
    /^attachment; filename="readings-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  expect(res.headers.get("link")).toContain('rel="next"');
  const lines = (await res.text()).trim().split("\r\n");
  expect(lines[0]).toBe("id,device_id,ts,ts_ms,temperature,humidity,msg_id");
  expect(lines[1]).toBe(`1,pi-1,${isoTime(0)},0,20,,`);
});
