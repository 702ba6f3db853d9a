/** @jsxImportSource hono/jsx */
import { concernsOf, currentMessage } from "../../../../views/pages/alert-concerns.ts";
import { AlertDetail } from "../../../../views/pages/alert.tsx";
import { NotFound, defineView } from "../view.ts";
import { awayNow } from "./alert-now.ts";

/** One alert: its fields, what it concerns, every time its kind+subject fired, ack/clear. */
export const alert = defineView({
  path: "/alerts/:id",
  on: ["alert", "person"], // deliveries change with their alert (a 30 s refresh catches retries)
  load: async ({ store, now = Date.now }, params) => {
    const t = now();
    const raw = params.id ?? "";
    return store.read(async ({ queries: q, console: c }) => {
      const a = /^\d{1,15}$/.test(raw) ? await c.alert(Number(raw)) : undefined;
      if (!a) throw new NotFound(`No alert ${raw}. It may have been removed with old data.`);
      const devices = new Set((await q.devices()).map((d) => d.id));
      return {
        alert: { ...a, text: currentMessage(a, awayNow(await c.people(), t)) },
        history: await c.alertHistory(a.kind, a.subject, 100),
        concerns: concernsOf(a.kind, a.subject, (id) => devices.has(id)),
        deliveries: await c.deliveries(a.id),
        now: t,
      };
    });
  },
  title: ({ alert: a }) => `Alert #${a.id}: ${a.subject}`,
  render: (data) => <AlertDetail {...data} />,
});
