/** @jsxImportSource hono/jsx */
/**
 * Each dashboard view: which events make it stale, and how to render it from the store. The
 * same render serves the page and the live SSE update.
 */
import { desc, sql } from "drizzle-orm";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { IotEvent } from "../../events/index.ts";
import type { Health } from "../../health/index.ts";
import type { Db } from "../../store/index.ts";
import { queries } from "../../store/queries.ts";
import { images, readings, roomReadings } from "../../store/schema.ts";
import { Alerts } from "../../../views/pages/alerts.tsx";
import { Bins } from "../../../views/pages/bins.tsx";
import { Cameras } from "../../../views/pages/cameras.tsx";
import type { PersonRow } from "../../../views/pages/data.ts";
import { Devices } from "../../../views/pages/devices.tsx";
import { Overview } from "../../../views/pages/overview.tsx";
import { People } from "../../../views/pages/people.tsx";
import { Rooms } from "../../../views/pages/rooms.tsx";

export interface ViewDeps {
  db: Db;
  health: Health;
  videoSources: () => string[];
  now?: () => number;
}

export interface View {
  title: string;
  /** event types that make this view stale */
  on: ReadonlyArray<IotEvent["type"]>;
  render(deps: ViewDeps): JSX.Element;
}

const localDay = (ts: number) => new Date(ts).toLocaleDateString("sv-SE");

export const views: Record<string, View> = {
  overview: {
    title: "Overview",
    on: ["reading", "device", "alert", "room"],
    render: ({ db, health, now = Date.now }) => {
      const q = queries(db);
      const latest = db
        .select({
          device_id: readings.deviceId,
          ts: sql<number>`max(${readings.ts})`,
          temperature: readings.temperature,
          humidity: readings.humidity,
        })
        .from(readings)
        .groupBy(readings.deviceId)
        .orderBy(readings.deviceId)
        .limit(100)
        .all();
      return (
        <Overview
          now={now()}
          health={health.report()}
          devices={q.devices()}
          latest={latest}
          alerts={q.alerts("active", 50)}
        />
      );
    },
  },
  rooms: {
    title: "Rooms",
    on: ["room", "rule"],
    render: ({ db, now = Date.now }) => {
      const q = queries(db);
      const rules = q.rules();
      const since = now() - 6 * 3600_000;
      const rooms = q.rooms().map((r) => ({
        ...r,
        rules: rules.filter((x) => x.room_no === r.room_no),
        history: db
          .select({
            ts: roomReadings.ts,
            temperature: roomReadings.temperature,
            humidity: roomReadings.humidity,
          })
          .from(roomReadings)
          .where(sql`${roomReadings.roomNo} = ${r.room_no} AND ${roomReadings.ts} > ${since}`)
          .orderBy(roomReadings.ts)
          .limit(2000)
          .all(),
      }));
      return <Rooms rooms={rooms} />;
    },
  },
  people: {
    title: "People",
    on: ["person", "alert"],
    render: ({ db, now = Date.now }) => {
      const t = now();
      const people: PersonRow[] = queries(db)
        .people()
        .map((p) => {
          const today = p.day === localDay(t) ? p.away_ms_today : 0;
          return { ...p, away_ms: today + (p.state === "out" ? Math.max(0, t - p.since) : 0) };
        });
      const sorted = people.map((p) => p.away_ms).sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const median =
        sorted.length === 0
          ? 0
          : sorted.length % 2
            ? sorted[mid]!
            : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return <People people={people} median={median} />;
    },
  },
  devices: {
    title: "Devices",
    on: ["device"],
    render: ({ db, now = Date.now }) => <Devices devices={queries(db).devices()} now={now()} />,
  },
  bins: {
    title: "Bins",
    on: ["bin"],
    render: ({ db }) => {
      const latest = db.all<{ bin_count: number; bin_level: string; full: number; m_time: string }>(
        sql`SELECT bin_count, bin_level, full, m_time FROM bins b WHERE id = (SELECT max(id) FROM bins WHERE bin_count = b.bin_count) ORDER BY bin_count`,
      );
      return <Bins bins={latest.map((b) => ({ ...b, full: !!b.full }))} />;
    },
  },
  cameras: {
    title: "Cameras",
    on: ["image"],
    render: ({ db, videoSources }) => {
      const newest = db.all<{ id: number; device_id: string; ts: number }>(
        sql`SELECT id, device_id, ts FROM images i WHERE id = (SELECT max(id) FROM images WHERE device_id = i.device_id) ORDER BY device_id`,
      );
      const recent = db
        .select({ id: images.id, device_id: images.deviceId, ts: images.ts })
        .from(images)
        .orderBy(desc(images.id))
        .limit(24)
        .all();
      return <Cameras newest={newest} recent={recent} videoSources={videoSources()} />;
    },
  },
  alerts: {
    title: "Alerts",
    on: ["alert"],
    render: ({ db }) => <Alerts alerts={queries(db).alerts(undefined, 200)} />,
  },
};
