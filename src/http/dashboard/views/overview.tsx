/** @jsxImportSource hono/jsx */
import { deviceRows } from "../../../store/devices.ts";
import { usualIntervalMs } from "../../../../views/pages/devices/state.ts";
import { queries } from "../../../store/queries.ts";
import { consoleReads } from "../../../store/console-reads.ts";
import { Overview } from "../../../../views/pages/overview.tsx";
import type { View } from "../view.ts";
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

export const overview: View = {
  path: "/",
  title: "Overview",
  on: ["reading", "device", "alert", "room", "rule", "person", "bin"],
  render: ({ db, health, site, usage, now = Date.now }) => {
    const t = now();
    const q = queries(db);
    const people = q.people().map((p) => withAwayToday(p, t));
    return (
      <Overview
        now={t}
        site={siteHints(site?.())}
        health={health.report()}
        devices={summarizeDevices(q.devices(), t, (id) =>
          usualIntervalMs(deviceRows(db).recentTimes(id)),
        )}
        rooms={summarizeRooms(q.rooms(), q.rules())}
        people={summarizePeople(people, median(people.map((p) => p.away_ms)))}
        bins={binsFullFirst(q.latestBins())}
        openAlerts={{
          count: consoleReads(db).alertCount("open"),
          newest: q.alerts("open", NEWEST_ALERTS),
        }}
        latest={q.latestReadings()}
        usage={usage?.()}
      />
    );
  },
};
