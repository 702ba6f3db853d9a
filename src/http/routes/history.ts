/**
 * `/api/history/<list>`: one list's rows between `since` (inclusive) and `until` (exclusive),
 * oldest first, raw or rolled up per `bucket`, a page at a time. The answer's `next` (and its
 * `Link: <…>; rel="next"` header) is where the next page starts; it is null on the last page.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { StoreEngine } from "../../store/engine/index.ts";
import { rollupColumns, type HistoryKind, type Position } from "../../store/history.ts";
import { decodeCursor, encodeCursor } from "../api/cursor.ts";
import * as p from "../api/params.ts";
import { csvDownload } from "../api/reply.ts";
import * as rows from "../api/rows.ts";

const common = {
  since: p.time("from this time (inclusive)"),
  until: p.time("up to this time (exclusive)"),
  bucket: p.bucket,
  cursor: p.cursor,
  limit: p.limit(1000),
  format: p.format,
};

interface HistoryList {
  query: z.ZodObject;
  /** a raw row as answered */
  raw: (r: Record<string, unknown>) => Record<string, unknown>;
  rawRow: z.ZodType;
  key: string;
  keySchema: z.ZodType;
}

export const historyLists: Record<HistoryKind, HistoryList> = {
  readings: {
    query: z.object({ device_id: p.text("only this device's"), ...common }),
    raw: rows.reading,
    rawRow: rows.readingRow,
    key: "device_id",
    keySchema: z.string(),
  },
  rooms: {
    query: z.object({ room_no: p.integerText("only this room's"), ...common }),
    raw: rows.roomSample,
    rawRow: rows.roomSampleRow,
    key: "room_no",
    keySchema: z.number().int(),
  },
  bins: {
    query: z.object({ bin_count: p.integerText("only this bin's"), ...common }),
    raw: rows.bin,
    rawRow: rows.binRow,
    key: "bin_count",
    keySchema: z.number().int(),
  },
  presence: {
    query: z.object({ name: p.text("only this person's"), ...common }),
    raw: rows.presence,
    rawRow: rows.presenceRow,
    key: "name",
    keySchema: z.string(),
  },
  alerts: {
    query: z.object({
      kind: p.text("only alerts of this kind"),
      state: z.enum(["open", "acknowledged", "cleared"]).optional().describe("only in this state"),
      severity: z.enum(["info", "warning", "critical"]).optional().describe("only this severity"),
      ...common,
    }),
    raw: rows.alert,
    rawRow: rows.alertRow,
    key: "kind",
    keySchema: z.string(),
  },
};

/** A page's documented shape: raw rows or roll-ups, and where the next page starts. */
export const pageSchema = (kind: HistoryKind) => {
  const l = historyLists[kind];
  return z.strictObject({
    data: z.array(
      z.union([
        l.rawRow.meta({ title: "a row (bucket=raw)" }),
        rows
          .bucketRow(l.key, l.keySchema, rollupColumns(kind))
          .meta({ title: "a roll-up (bucket=1m, 5m, 1h or 1d)" }),
      ]),
    ),
    next: z.string().nullable().describe("the cursor of the next page; null on the last"),
  });
};

export function historyRoutes(deps: { engine: StoreEngine }) {
  const app = new Hono();
  for (const [kind, l] of Object.entries(historyLists) as Array<[HistoryKind, HistoryList]>)
    app.get(`/api/history/${kind}`, (c) => answer(c, deps.engine, kind, l));
  return app;
}

async function answer(
  c: Context,
  engine: StoreEngine,
  kind: HistoryKind,
  l: HistoryList,
): Promise<Response> {
  const parsed = p.query(c, l.query);
  if (!parsed.ok) return parsed.res;
  const { since, until, bucket, cursor, limit, format, ...filter } = parsed.data as {
    since?: number;
    until?: number;
    bucket: "raw";
    cursor?: string;
    limit: number;
    format: "json" | "csv";
  } & Record<string, string | number | undefined>;
  if (since !== undefined && until !== undefined && until < since)
    return c.json({ message: "until: before since" }, 400);
  let after: Position | undefined;
  if (cursor !== undefined) {
    const d = decodeCursor(cursor, kind, bucket);
    if (!d.ok) return c.json({ message: d.problem }, 400);
    after = d.at;
  }
  const page = await engine.read((q) =>
    q.api.history({ kind, bucket, since, until, after, limit, filter }),
  );
  const data = page.rows.map(bucket === "raw" ? l.raw : rows.bucket);
  const next = page.next ? encodeCursor(kind, bucket, page.next) : null;
  const headers: Record<string, string> = {};
  if (next) {
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", next);
    headers.link = `<${url.pathname}${url.search}>; rel="next"`;
  }
  if (format === "csv") return csvDownload(c, kind, data, headers);
  return c.json({ data, next }, 200, headers);
}
