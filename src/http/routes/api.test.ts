import { expect, test } from "bun:test";
import { EventBus } from "../../events/index.ts";
import { openStore } from "../../store/index.ts";
import { alertRow, binRow } from "../api/rows.ts";
import { isoTime } from "../api/time.ts";
import { apiRoutes } from "./api.ts";
import { engineOf } from "../../../test/support/sqlite-engine.ts";

function app() {
  const s = openStore(":memory:");
  s.sqlite.run(
    "INSERT INTO alerts (kind, subject, message, severity, state, created_at) VALUES ('bin-full', 'bin 3', 'bin 3 is FULL', 'warning', 'open', 1000)",
  );
  const bin = s.sqlite.prepare(
    "INSERT INTO bins (bin_count, bin_level, full, m_time, ts, src_topic, src_partition, src_offset) VALUES (3, ?, ?, '2026-11-22 10:30:00', 5000, 'h', 0, ?)",
  );
  bin.run("37", 0, 1);
  bin.run("FULL", 1, 2);
  return apiRoutes({ engine: engineOf(s.db), bus: new EventBus() });
}

test("ack answers the alert in the same names and times as GET /api/alerts", async () => {
  const a = app();
  const [listed] = await (await a.request("/api/alerts")).json();
  const res = await a.request("/api/alerts/1/ack", { method: "POST" });
  expect(res.status).toBe(200);
  const acked = await res.json();
  expect(alertRow.parse(acked)).toEqual(acked);
  expect(acked).toEqual({ ...listed, state: "acknowledged" });
  expect(acked).toMatchObject({ created_at: isoTime(1000), created_at_ms: 1000, cleared_at: null });
});

test("bin levels are numbers (null for FULL), m_time kept with an ISO time beside it", async () => {
  const rows = await (await app().request("/api/bins")).json();
  for (const r of rows) binRow.parse(r);
  expect(rows.map((r: { bin_level: unknown; full: boolean }) => [r.bin_level, r.full])).toEqual([
    [null, true],
    [37, false],
  ]);
  expect(rows[0]).toMatchObject({ m_time: "2026-11-22 10:30:00", ts: isoTime(5000), ts_ms: 5000 });
});

test("CSV lists are downloads named after the list and the day; bad parameters name themselves", async () => {
  const a = app();
  const res = await a.request("/api/alerts?format=csv");
  expect(res.headers.get("content-disposition")).toMatch(
    /^attachment; filename="alerts-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  expect((await res.text()).split("\r\n")[0]).toBe(
    "id,kind,subject,message,severity,state,created_at,created_at_ms,cleared_at,cleared_at_ms",
  );
  for (const [path, message] of [
    ["/api/readings?limit=0", "limit: expected an integer 1..10000"],
    ["/api/alerts?state=loud", "state: expected open, acknowledged, cleared or active"],
    ["/api/devices?format=xml", "format: expected json or csv"],
  ])
    expect(await (await a.request(path)).json()).toEqual({ message });
});
