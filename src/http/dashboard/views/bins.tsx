/** @jsxImportSource hono/jsx */
import { deviceQueries } from "../../../store/device-queries.ts";
import { Bins } from "../../../../views/pages/bins.tsx";
import type { View } from "../view.ts";

/** levels in each bin's history bars */
const HISTORY = 24;

export const bins: View = {
  path: "/bins",
  title: "Bins",
  on: ["bin"],
  render: ({ db, now = Date.now, site }) => {
    const q = deviceQueries(db);
    const cards = q
      .latestBins()
      .map((b) => ({ ...b, history: q.binHistory(b.bin_count, HISTORY) }));
    return <Bins bins={cards} now={now()} mqttUrl={site?.().mqttUrl} />;
  },
};
