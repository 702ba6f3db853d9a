/** @jsxImportSource hono/jsx */
import { deliveriesOf } from "../../../store/notify.ts";
import { queries } from "../../../store/queries.ts";
import { concernsOf, currentMessage } from "../../../../views/pages/alert-concerns.ts";
import { AlertDetail } from "../../../../views/pages/alert.tsx";
import { NotFound, type ViewDeps, type ViewParams } from "../view.ts";
import type { View } from "../view.ts";
import { awayNow } from "./alert-now.ts";

const alertOf = ({ db }: ViewDeps, params: ViewParams) => {
  const raw = params.id ?? "";
  const row = /^\d{1,15}$/.test(raw) ? queries(db).alert(Number(raw)) : undefined;
  if (!row) throw new NotFound(`No alert ${raw}. It may have been removed with old data.`);
  return row;
};

/** One alert: its fields, what it concerns, every time its kind+subject fired, ack/clear. */
export const alert: View = {
  path: "/alerts/:id",
  title: (deps, params) => {
    const a = alertOf(deps, params);
    return `Alert #${a.id}: ${a.subject}`;
  },
  on: ["alert", "person"], // deliveries change with their alert (a 30 s refresh catches retries)
  render: (deps, params) => {
    const t = (deps.now ?? Date.now)();
    const a = alertOf(deps, params);
    const q = queries(deps.db);
    const devices = new Set(q.devices().map((d) => d.id));
    return (
      <AlertDetail
        alert={{ ...a, text: currentMessage(a, awayNow(deps.db, t)) }}
        history={q.alertHistory(a.kind, a.subject, 100)}
        concerns={concernsOf(a.kind, a.subject, (id) => devices.has(id))}
        deliveries={deliveriesOf(deps.db, a.id)}
        now={t}
      />
    );
  },
};
