/** @jsxImportSource hono/jsx */
import { usualIntervalMs } from "../../../../views/pages/devices/state.ts";
import { Overview } from "../../../../views/pages/overview.tsx";
import { defineView } from "../view.ts";
import {
  binsFullFirst,
  siteHints,
  summarizeDevices,
  summarizePeople,
  summarizeRooms,
} from "./overview-model.ts";
import { median, withAwayToday } from "./presence.ts";

/** how many of the newest open alerts the Overview lists */
const NEWEST_ALERTS = 5;

export const overview = defineView({
  path: "/",
  title: "Overview",
  on: ["reading", "device", "alert", "room", "rule", "person", "bin"],
  load: async ({ store, health, site, usage, now = Date.now }) => {
    const t = now();
    const rows = await store.read(async ({ queries: q, console: c }) => {
      const devices = await q.devices();
      return {
        people: await c.people(),
        devices,
        times: await c.recentTimes(devices.map((d) => d.id)),
        rooms: await q.rooms(),
        rules: await c.rules(),
        bins: await q.latestBins(),
        openCount: await c.alertCount("open"),
        newest: await q.alerts("open", NEWEST_ALERTS),
        latest: await q.latestReadings(),
        // PostgreSQL's sizes, measured now; SQLite's file is measured by the data lifecycle
        usage: (await c.diskUsage(t)) ?? usage?.(),
      };
    });
    const people = rows.people.map((p) => withAwayToday(p, t));
    return {
      now: t,
      site: siteHints(site?.()),
      health: health.report(),
      devices: summarizeDevices(rows.devices, t, (id) => usualIntervalMs(rows.times.get(id) ?? [])),
      rooms: summarizeRooms(rows.rooms, rows.rules),
      people: summarizePeople(people, median(people.map((p) => p.away_ms))),
      bins: binsFullFirst(rows.bins),
      openAlerts: { count: rows.openCount, newest: rows.newest },
      latest: rows.latest,
      usage: rows.usage,
    };
  },
  render: (data) => <Overview {...data} />,
});
