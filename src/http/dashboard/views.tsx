/** @jsxImportSource hono/jsx */
/**
 * Each dashboard view: which events make it stale, and how to render it from the store. The
 * same render serves the page and the live SSE update.
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { IotEvent } from "../../events/index.ts";
import type { Health } from "../../health/index.ts";
import type { Db } from "../../store/index.ts";
import { queries } from "../../store/queries.ts";
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
      return (
        <Overview
          now={now()}
          health={health.report()}
          devices={q.devices()}
          latest={q.latestReadings()}
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
        history: q.roomHistory(r.room_no, since),
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
    render: ({ db }) => <Bins bins={queries(db).latestBins()} />,
  },
  cameras: {
    title: "Cameras",
    on: ["image"],
    render: ({ db, videoSources }) => {
      const q = queries(db);
      return (
        <Cameras
          newest={q.newestImages()}
          recent={q.recentImages(24)}
          videoSources={videoSources()}
        />
      );
    },
  },
  alerts: {
    title: "Alerts",
    on: ["alert"],
    render: ({ db }) => <Alerts alerts={queries(db).alerts(undefined, 200)} />,
  },
};
