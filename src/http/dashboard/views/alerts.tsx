/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { currentMessage } from "../../../../views/pages/alert-concerns.ts";
import { Alerts, type AlertsQuery } from "../../../../views/pages/alerts.tsx";
import { parseAlertQuery } from "../../routes/alert-params.ts";
import type { View } from "../view.ts";
import { awayNow } from "./alert-now.ts";

/**
 * Alerts for triage: groups of repeats, open first, filtered by `state kind room device`, paged
 * (`page size`). A query it does not understand is said on the page and not applied.
 */
export const alerts: View = {
  path: "/alerts",
  title: "Alerts",
  // a person's time away grows in an open alert's message
  on: ["alert", "person"],
  render: ({ db, now = Date.now }, params) => {
    const t = now();
    const q = queries(db);
    const parsed = parseAlertQuery(params);
    const { filter, page, size } = parsed.ok ? parsed.value : { filter: {}, page: 1, size: 50 };
    const listed = q.alertGroups(filter, page, size);
    const away = awayNow(db, t);
    const query: AlertsQuery = parsed.ok
      ? {
          state: params.state || undefined,
          kind: params.kind || undefined,
          room: params.room || undefined,
          device: params.device || undefined,
          size: params.size || undefined,
        }
      : {};
    return (
      <Alerts
        page={{
          ...listed,
          groups: listed.groups.map((g) => ({ ...g, text: currentMessage(g, away) })),
        }}
        query={query}
        problem={parsed.ok ? undefined : parsed.problem}
        kinds={q.alertKinds()}
        rooms={q.rooms().map((r) => r.room_no)}
        devices={q.devices().map((d) => d.id)}
        now={t}
      />
    );
  },
};
