/** How a list is answered: JSON, or a CSV download named after the list and the day. */
import type { Context } from "hono";
import { toCsv } from "../routes/csv.ts";

export function csvDownload(
  c: Context,
  list: string,
  rows: Array<Record<string, unknown>>,
  headers: Record<string, string> = {},
): Response {
  const day = new Date().toISOString().slice(0, 10);
  return c.body(toCsv(rows), 200, {
    ...headers,
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${list}-${day}.csv"`,
  });
}
