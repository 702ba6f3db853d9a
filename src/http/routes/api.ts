/**
 * The JSON API the dashboard and scripts read: `/api/<list>` with `?limit=` and
 * `?format=csv`, `/images/:id.jpg`, and alert acknowledge/clear.
 */
import { Hono, type Context } from "hono";
import { existsSync } from "node:fs";
import { Alerts } from "../../alerts/index.ts";
import type { EventBus } from "../../events/index.ts";
import type { Db } from "../../store/index.ts";
import { queries } from "../../store/queries.ts";
import { bodyKind, unsupported } from "../protect/index.ts";
import { parseAlertQuery, parseBulkTargets, returnPath } from "./alert-params.ts";
import { toCsv } from "./csv.ts";

const MAX_LIMIT = 10_000;

function limitOf(c: Context, fallback = 100): number | Response {
  const raw = c.req.query("limit");
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    return c.json({ message: `limit: expected an integer 1..${MAX_LIMIT}` }, 400);
  return n;
}

function list(c: Context, rows: Array<Record<string, unknown>>): Response {
  const format = c.req.query("format") ?? "json";
  if (format === "csv")
    return c.body(toCsv(rows), 200, { "content-type": "text/csv; charset=utf-8" });
  if (format !== "json") return c.json({ message: "format: expected json or csv" }, 400);
  return c.json(rows);
}

export function apiRoutes(deps: { db: Db; bus: EventBus }) {
  const q = queries(deps.db);
  const alerts = new Alerts(deps.db, deps.bus);
  const app = new Hono();
  const withLimit =
    (fallback: number, fn: (c: Context, limit: number) => Response) => (c: Context) => {
      const limit = limitOf(c, fallback);
      return typeof limit === "number" ? fn(c, limit) : limit;
    };
  app.get(
    "/api/readings",
    withLimit(100, (c, n) => list(c, q.readings(c.req.query("device_id"), n))),
  );
  app.get(
    "/api/images",
    withLimit(50, (c, n) => list(c, q.images(c.req.query("device_id"), n))),
  );
  app.get(
    "/api/bins",
    withLimit(100, (c, n) => list(c, q.bins(n))),
  );
  app.get("/api/devices", (c) => list(c, q.devices()));
  app.get("/api/rooms", (c) => list(c, q.rooms()));
  app.get("/api/rules", (c) => list(c, q.rules()));
  app.get("/api/people", (c) => list(c, q.people()));
  app.get(
    "/api/alerts",
    withLimit(100, (c, n) => {
      const state = c.req.query("state");
      if (state !== undefined && !["open", "acknowledged", "cleared", "active"].includes(state)) {
        return c.json({ message: "state: expected open, acknowledged, cleared or active" }, 400);
      }
      return list(c, q.alerts(state as "open" | undefined, n));
    }),
  );
  // the Alerts page's listing: groups of kind+subject+state, open first, filtered and paged
  app.get("/api/alerts/groups", (c) => {
    const query = parseAlertQuery(c.req.query());
    if (!query.ok) return c.json({ message: query.problem }, 400);
    const { filter, page, size } = query.value;
    return c.json(q.alertGroups(filter, page, size));
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
      const changed = alerts.setMany(targets.value, state);
      if (form) return c.redirect(returnPath((body as Record<string, unknown>).return), 303);
      return c.json({ state, changed, count: changed.length });
    });
    app.post(`/api/alerts/:id/${action}`, (c) => {
      const raw = c.req.param("id");
      if (!/^\d{1,15}$/.test(raw)) return c.json({ message: "id: expected an integer" }, 400);
      const id = Number(raw);
      const row = alerts.set(id, state);
      if (!row) return c.json({ message: `no active alert ${id}` }, 404);
      return c.json(row);
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
