/**
 * The JSON API the dashboard and scripts read: `/api/<list>` (newest first, `?limit=`,
 * `?format=csv`), `/images/:id.jpg`, and alert acknowledge/clear. Answers follow src/http/api's
 * conventions (rows.ts); history with time ranges and paging is in history.ts.
 */
import { Hono, type Context } from "hono";
import { existsSync } from "node:fs";
import { z } from "zod";
import { alertTriage } from "../../alerts/triage.ts";
import type { EventBus } from "../../events/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
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

export function apiRoutes(deps: { engine: StoreEngine; bus: EventBus; now?: () => number }) {
  const { engine } = deps;
  const alerts = alertTriage(engine, deps.bus, deps.now);
  const app = new Hono();
  const route = <S extends z.ZodObject>(
    path: string,
    schema: S,
    fn: (params: z.infer<S>) => Promise<Row[]>,
  ) =>
    app.get(path, async (c) => {
      const parsed = p.query(c, schema);
      return parsed.ok ? list(c, path.slice("/api/".length), await fn(parsed.data)) : parsed.res;
    });
  route("/api/readings", listQueries.readings, async (a) =>
    (await engine.read((q) => q.queries.readings(a.device_id, a.limit))).map(rows.reading),
  );
  route("/api/images", listQueries.images, async (a) =>
    (await engine.read((q) => q.api.images(a.device_id, a.limit))).map(rows.image),
  );
  route("/api/bins", listQueries.bins, async (a) =>
    (await engine.read((q) => q.api.bins(a.limit))).map(rows.bin),
  );
  route("/api/devices", listQueries.plain, async () =>
    (await engine.read((q) => q.queries.devices())).map(rows.device),
  );
  route("/api/rooms", listQueries.plain, async () =>
    (await engine.read((q) => q.queries.rooms())).map(rows.room),
  );
  route("/api/rules", listQueries.plain, async () =>
    (await engine.read((q) => q.api.rules())).map(rows.rule),
  );
  route("/api/people", listQueries.plain, async () =>
    (await engine.read((q) => q.api.people())).map(rows.person),
  );
  route("/api/alerts", listQueries.alerts, async (a) =>
    (await engine.read((q) => q.queries.alerts(a.state, a.limit))).map(rows.alert),
  );
  // the Alerts page's listing: groups of kind+subject+state, open first, filtered and paged
  app.get("/api/alerts/groups", async (c) => {
    const query = parseAlertQuery(c.req.query());
    if (!query.ok) return c.json({ message: query.problem }, 400);
    const { filter, page, size } = query.value;
    return c.json(groupsAnswer(await engine.read((q) => q.api.alertGroups(filter, page, size))));
  });
  app.get("/api/alerts/count", async (c) => {
    const state = c.req.query("state") || undefined;
    const query = parseAlertQuery({ state });
    if (!query.ok) return c.json({ message: query.problem }, 400);
    const count = await engine.read((q) => q.api.countAlerts(query.value.filter.state));
    return c.json({ state: state ?? "all", count });
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
  app.get("/images/:file", async (c) => {
    const m = /^(\d+)\.jpg$/.exec(c.req.param("file"));
    const path = m ? await engine.read((q) => q.api.imagePath(Number(m[1]))) : undefined;
    if (!path || !existsSync(path)) return c.json({ message: "no such image" }, 404);
    return new Response(Bun.file(path), {
      headers: { "content-type": "image/jpeg", "cache-control": "public, max-age=86400" },
    });
  });
  return app;
}
