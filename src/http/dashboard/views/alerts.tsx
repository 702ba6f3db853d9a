/** @jsxImportSource hono/jsx */
import { currentMessage } from "../../../../views/pages/alert-concerns.ts";
import { Alerts, type AlertsQuery } from "../../../../views/pages/alerts.tsx";
import { parseAlertQuery } from "../../routes/alert-params.ts";
import { defineView } from "../view.ts";
import { awayNow } from "./alert-now.ts";

/**
 * Alerts for triage: groups of repeats, open first, filtered by `state kind room device`, paged
 * (`page size`). A query it does not understand is said on the page and not applied.
 */
export const alerts = defineView({
  path: "/alerts",
  title: "Alerts",
  // a person's time away grows in an open alert's message
  on: ["alert", "person"],
  load: async ({ store, now = Date.now }, params) => {
    const t = now();
    const parsed = parseAlertQuery(params);
    const { filter, page, size } = parsed.ok ? parsed.value : { filter: {}, page: 1, size: 50 };
    const rows = await store.read(async ({ queries: q, console: c }) => ({
      listed: await c.alertGroups(filter, page, size),
      people: await c.people(),
      kinds: await c.alertKinds(),
      rooms: (await q.rooms()).map((r) => r.room_no),
      devices: (await q.devices()).map((d) => d.id),
    }));
    const away = awayNow(rows.people, t);
    const query: AlertsQuery = parsed.ok
      ? {
          state: params.state || undefined,
          kind: params.kind || undefined,
          room: params.room || undefined,
          device: params.device || undefined,
          size: params.size || undefined,
        }
      : {};
    return {
      page: {
        ...rows.listed,
        groups: rows.listed.groups.map((g) => ({ ...g, text: currentMessage(g, away) })),
      },
      query,
      problem: parsed.ok ? undefined : parsed.problem,
      kinds: rows.kinds,
      rooms: rows.rooms,
      devices: rows.devices,
      now: t,
    };
  },
  render: (data) => <Alerts {...data} />,
});
