/** @jsxImportSource hono/jsx */
import { Bins } from "../../../../views/pages/bins.tsx";
import { defineView } from "../view.ts";

/** levels in each bin's history bars */
const HISTORY = 24;

export const bins = defineView({
  path: "/bins",
  title: "Bins",
  on: ["bin"],
  load: async ({ store, now = Date.now, site }) => {
    const bins = await store.read(async ({ console: c }) =>
      Promise.all(
        (await c.latestBins()).map(async (b) => ({
          ...b,
          history: await c.binHistory(b.bin_count, HISTORY),
        })),
      ),
    );
    return { bins, now: now(), mqttUrl: site?.().mqttUrl };
  },
  render: (data) => <Bins {...data} />,
});
