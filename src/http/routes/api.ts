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
import { queries } from "../../store/queries.ts";
import * as p from "../api/params.ts";
import { csvDownload } from "../api/reply.ts";
import * as rows from "../api/rows.ts";

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

export function apiRoutes(deps: { db: Db; bus: EventBus }) {
  const q = queries(deps.db);
  const alerts = new Alerts(deps.db, deps.bus);
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
  for (const [action, state] of [
    ["ack", "acknowledged"],
    ["clear", "cleared"],
  ] as const) {
    app.post(`/api/alerts/:id/${action}`, (c) => {
      const raw = c.req.param("id");
      if (!alertIdParams.safeParse({ id: raw }).success)
        return c.json({ message: "id: expected an integer" }, 400);
      const id = Number(raw);
      const row = alerts.set(id, state);
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
