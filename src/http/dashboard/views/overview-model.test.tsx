/** @jsxImportSource hono/jsx */
import { describe, expect, test } from "bun:test";
import { Overview, type OverviewProps } from "../../../../views/pages/overview.tsx";
import {
  binsFullFirst,
  deviceState,
  siteHints,
  STALE_AFTER_MS,
  summarizeDevices,
  summarizePeople,
  summarizeRooms,
} from "./overview-model.ts";

const now = 1_800_000_000_000;
const device = (id: string, online: boolean, last_seen: number | null) => ({
  id,
  name: null,
  kind: "device",
  x: null,
  y: null,
  status: null,
  desired_status: null,
  online,
  last_seen,
});

describe("overview model", () => {
  test("a device is never seen, offline, stale past the limit, or online", () => {
    expect(deviceState({ online: false, last_seen: null }, now)).toBe("never");
    expect(deviceState({ online: false, last_seen: now - 1000 }, now)).toBe("offline");
    expect(deviceState({ online: true, last_seen: now - STALE_AFTER_MS - 1 }, now)).toBe("stale");
    expect(deviceState({ online: true, last_seen: now - 1000 }, now)).toBe("online");
  });

  test("devices: counts per state, the ones not online named, worst first", () => {
    const s = summarizeDevices(
      [
        device("a", true, now),
        device("z-off", false, now - 5000),
        device("b-never", false, null),
        device("c-stale", true, now - 10 * STALE_AFTER_MS),
        device("a-off", false, now - 9000),
      ],
      now,
    );
    expect(s.total).toBe(5);
    expect(s.counts).toEqual({ online: 1, offline: 2, stale: 1, never: 1 });
    expect(s.attention.map((d) => d.id)).toEqual(["a-off", "z-off", "c-stale", "b-never"]);
  });

  test("rooms with an alerting rule first; bins FULL first", () => {
    const room = (room_no: number) => ({
      room_no,
      temperature: 20,
      humidity: 40,
      updated_at: now,
    });
    const rule = (room_no: number, state: "ok" | "alert") => ({
      room_no,
      schedule_id: 1,
      condition: {},
      state,
      updated_at: now,
    });
    const rooms = summarizeRooms(
      [room(1), room(2), room(3)],
      [rule(1, "ok"), rule(3, "alert"), rule(2, "ok")],
    );
    expect(rooms.map((r) => [r.room_no, r.alerting])).toEqual([
      [3, 1],
      [1, 0],
      [2, 0],
    ]);
    const bin = (bin_count: number, full: boolean) => ({
      bin_count,
      bin_level: full ? "FULL" : "50",
      full,
      m_time: "",
    });
    expect(
      binsFullFirst([bin(1, false), bin(2, true), bin(3, false)]).map((b) => b.bin_count),
    ).toEqual([2, 1, 3]);
  });

  test("people: in and out counted, flagged ones longest away first", () => {
    const p = (name: string, state: "in" | "out", away_ms: number, flagged = false) => ({
      name,
      state,
      since: now,
      flagged,
      away_ms,
    });
    const s = summarizePeople([p("a", "in", 1), p("b", "out", 5, true), p("c", "out", 9, true)], 5);
    expect([s.total, s.in, s.out, s.median]).toEqual([3, 1, 2, 5]);
    expect(s.flagged.map((f) => f.name)).toEqual(["c", "b"]);
  });

  test("the hints name this server's listeners; a wildcard bind names the machine", () => {
    expect(
      siteHints({
        httpUrl: "http://127.0.0.1:5123",
        mqttUrl: "mqtt://127.0.0.1:2883",
        kafkaBrokers: "127.0.0.1:9999",
      }),
    ).toEqual({
      httpUrl: "http://127.0.0.1:5123",
      mqttUrl: "mqtt://127.0.0.1:2883",
      kafkaBrokers: "127.0.0.1:9999",
    });
    expect(siteHints({ httpUrl: "http://0.0.0.0:5000", mqttUrl: "mqtt://[::]:1883" })).toEqual({
      httpUrl: "http://<this-pc>:5000",
      mqttUrl: "mqtt://<this-pc>:1883",
      kafkaBrokers: undefined,
    });
  });
});

describe("Overview page", () => {
  const base: OverviewProps = {
    now,
    site: { httpUrl: "http://127.0.0.1:5123", mqttUrl: "mqtt://127.0.0.1:2883" },
    health: { status: "ok", components: { store: { state: "up" } } },
    devices: summarizeDevices([], now),
    rooms: [],
    people: summarizePeople([], 0),
    bins: [],
    openAlerts: { count: 0, newest: [] },
    latest: [],
  };
  const render = (p: OverviewProps) => String(<Overview {...p} />);

  test("the open count is the real one, the newest listed, the rest as +N more", () => {
    const alert = (id: number) => ({
      id,
      kind: "bin-full",
      subject: `bin ${id}`,
      message: `bin ${id} is FULL`,
      severity: "warning" as const,
      state: "open" as const,
      created_at: now - id * 1000,
      cleared_at: null,
    });
    const html = render({
      ...base,
      openAlerts: { count: 8, newest: [1, 2, 3, 4, 5].map(alert) },
    });
    expect(html).toContain('<span class="tile-value" data-testid="open-count">8</span>');
    expect(html).toContain('href="/alerts/5"');
    expect(html).toMatch(
      /<a href="\/alerts\?state=open" data-testid="more-alerts">\+3 more open<\/a>/,
    );
  });

  test("empty states give the commands with this server's real ports", () => {
    const html = render(base);
    expect(html).toContain("iot device --server mqtt://127.0.0.1:2883");
    expect(html).toContain(
      "iot simulate --http http://127.0.0.1:5123 --mqtt mqtt://127.0.0.1:2883",
    );
    expect(html).toContain("curl -X POST http://127.0.0.1:5123/office_status");
    expect(html).not.toContain("1883");
  });

  test("a bin's level has its unit, FULL is a badge", () => {
    const html = render({
      ...base,
      bins: [
        { bin_count: 2, bin_level: "FULL", full: true, m_time: "" },
        { bin_count: 1, bin_level: "55", full: false, m_time: "" },
      ],
    });
    expect(html).toContain("55 %");
    expect(html).toContain('<span class="badge badge-full">FULL</span>');
  });

  test("an offline device is named and linked", () => {
    const html = render({
      ...base,
      devices: summarizeDevices([device("pi-7", false, now - 60_000)], now),
    });
    expect(html).toContain('<a href="/devices/pi-7">pi-7</a>');
    expect(html).toContain("badge-offline");
  });

  test("disk use per kind, largest first, image files counted with their rows", () => {
    const kind = (rows: number, dbBytes: number, fileBytes = 0) => ({ rows, dbBytes, fileBytes });
    const html = render({
      ...base,
      usage: {
        kinds: {
          readings: kind(1000, 2 * 1024 * 1024),
          rooms: kind(250_000, 40 * 1024 * 1024),
          rollups: kind(720, 100 * 1024),
          images: kind(30, 64 * 1024, 300 * 1024 * 1024),
          alerts: kind(12, 8 * 1024),
          presence: kind(80, 16 * 1024),
          bins: kind(5, 4096),
        },
        dbBytes: 50 * 1024 * 1024,
        freeBytes: 1024 * 1024,
        at: now - 120_000,
      },
    });
    const order = [...html.matchAll(/<tr data-testid="disk-(\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(["images", "rooms", "readings", "rollups", "presence", "alerts", "bins"]);
    expect(html).toMatch(/data-testid="disk-images"[\s\S]*?300 MiB/);
    expect(html).toMatch(/data-testid="disk-rooms"[\s\S]*?250,000[\s\S]*?40 MiB/);
    expect(html).toContain("Database file 50 MiB (1.0 MiB free to reuse)");
    expect(html).toContain("2 min ago");
    // before the first measure: said so, no made-up figures
    expect(render(base)).toMatch(/data-testid="disk-use"[\s\S]*?Measured by the data lifecycle/);
  });
});
