/**
 * The JSON API the dashboard and scripts read: `/api/<list>` (newest first, `?limit=`,
 * `?format=csv`), `/images/:id.jpg`, and alert acknowledge/clear. Answers follow src/http/api's
 * conventions (rows.ts); history with time ranges and paging is in history.ts.
 */
import { Hono, type Context } from "hono";
import { existsSync } from "node:fs";
import { z } from "zod";
import { Alerts } from "../../alerts/index.ts";
import type { EventBus } from "../../events/index.ts";
import type { Db } from "../../store/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import { queries } from "../../store/queries.ts";
import * as p from "../api/params.ts";
import { csvDownload } from "../api/reply.ts";
import * as rows from "../api/rows.ts";
import { bodyKind, unsupported } from "../protect/index.ts";
import { parseAlertQuery, parseBulkTargets, returnPath } from "./alert-params.ts";
import { groupsAnswer } from "./alerts-triage.openapi.ts";

type Row = Record<string, unknown>;

function list(c: Context, name: string, data: Row[]): Response {
  return c.req.query("format") === "csv" ? csvDownload(c, name, data) : c.json(data);
}

export const listQueries = {
  readings: z.object({
    device_id: p.text("only this device's"),
    limit: p.limit(100),
    format: p.format,
  }),
  images: z.object({
    device_id: p.text("only this camera's"),
    limit: p.limit(50),
    format: p.format,
  }),
  bins: z.object({ limit: p.limit(100), format: p.format }),
  plain: z.object({ format: p.format }),
  alerts: z.object({
    state: z
      .enum(["open", "acknowledged", "cleared", "active"], {
        error: "expected open, acknowledged, cleared or active",
      })
      .optional()
      .describe("only alerts in this state (active: open or acknowledged)"),
    limit: p.limit(100),
    format: p.format,
  }),
};
export const alertIdParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, "expected an integer")
    .describe("the alert's id"),
});

export function apiRoutes(deps: { db: Db; engine: StoreEngine; bus: EventBus }) {
  const q = queries(deps.db);
  // acknowledge/clear: through the store engine, where the consumers write alerts
  const alerts = new Alerts(deps.engine, deps.bus);
  const app = new Hono();
  const route = <S extends z.ZodObject>(
    path: string,
    schema: S,
    fn: (params: z.infer<S>) => Row[],
  ) =>
    app.get(path, (c) => {
      const parsed = p.query(c, schema);
      return parsed.ok ? list(c, path.slice("/api/".length), fn(parsed.data)) : parsed.res;
    });
  route("/api/readings", listQueries.readings, (a) =>
    q.readings(a.device_id, a.limit).map(rows.reading),
  );
  route("/api/images", listQueries.images, (a) => q.images(a.device_id, a.limit).map(rows.image));
  route("/api/bins", listQueries.bins, (a) => q.bins(a.limit).map(rows.bin));
  route("/api/devices", listQueries.plain, () => q.devices().map(rows.device));
  route("/api/rooms", listQueries.plain, () => q.rooms().map(rows.room));
  route("/api/rules", listQueries.plain, () => q.rules().map(rows.rule));
  route("/api/people", listQueries.plain, () => q.people().map(rows.person));
  route("/api/alerts", listQueries.alerts, (a) => q.alerts(a.state, a.limit).map(rows.alert));
  // the Alerts page's listing: groups of kind+subject+state, open first, filtered and paged
  app.get("/api/alerts/groups", (c) => {
    const query = parseAlertQuery(c.req.query());
    if (!query.ok) return c.json({ message: query.problem }, 400);
    const { filter, page, size } = query.value;
    return c.json(groupsAnswer(q.alertGroups(filter, page, size)));
  });
  app.get("/api/alerts/count", (c) => {
    const state = c.req.query("state") || undefined;
    const query = parseAlertQuery({ state });
    if (!query.ok) return c.json({ message: query.problem }, 400);
    return c.json({ state: state ?? "all", count: q.countAlerts(query.value.filter.state) });
  });
  for (const [action, state] of [
    ["ack", "acknowledged"],
    ["clear", "cleared"],
  ] as const) {
    // many at once: JSON {ids, groups} answers JSON; a form (the page's checkboxes, with or
    // without htmx) goes back to the page it came from, which shows the result
    app.post(`/api/alerts/${action}`, async (c) => {
      const refused = unsupported(c, ["json", "form"]);
      if (refused) return refused;
      const form = bodyKind(c) === "form";
      let body: unknown;
      try {
        body = form ? await c.req.parseBody({ all: true }) : await c.req.json();
      } catch {
        return c.json({ message: "body: invalid JSON" }, 400);
      }
      const targets = parseBulkTargets(body, form);
      if (!targets.ok) return c.json({ message: targets.problem }, 400);
      const changed = await alerts.setMany(targets.value, state);
      if (form) return c.redirect(returnPath((body as Record<string, unknown>).return), 303);
      return c.json({ state, changed, count: changed.length });
    });
    app.post(`/api/alerts/:id/${action}`, async (c) => {
      const raw = c.req.param("id");
      if (!alertIdParams.safeParse({ id: raw }).success)
        return c.json({ message: "id: expected an integer" }, 400);
      const id = Number(raw);
      const row = await alerts.set(id, state);
      if (!row) return c.json({ message: `no active alert ${id}` }, 404);
      return c.json(rows.alert(row));
    });
  }
  app.get("/images/:file", (c) => {
    const m = /^(\d+)\.jpg$/.exec(c.req.param("file"));
    const path = m ? q.imagePath(Number(m[1])) : undefined;
    if (!path || !existsSync(path)) return c.json({ message: "no such image" }, 404);
    return new Response(Bun.file(path), {
      headers: { "content-type": "image/jpeg", "cache-control": "public, max-age=86400" },
    });
  });
  return app;
}
