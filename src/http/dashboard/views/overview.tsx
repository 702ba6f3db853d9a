/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Overview } from "../../../../views/pages/overview.tsx";
import type { View } from "../view.ts";

export const overview: View = {
  path: "/",
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
};
