/**
 * History pages on PostgreSQL: the same statement as SQLite's (src/store/history.ts builds it
 * in either dialect), its counts and bigint columns read back as numbers, so a page answers the
 * same JSON and CSV bytes on both engines.
 */
import { historySql, pageOf, type HistoryPage, type HistoryQuery } from "../history.ts";
import type { PgQueryable } from "./db.ts";

/** columns that are text on both engines; every other non-null one is a number or a flag */
const TEXT = new Set(["device_id", "msg_id", "name", "record_type", "bin_level", "m_time"]);
const TEXT_ALERT = new Set(["kind", "subject", "message", "severity", "state"]);

export async function pgHistoryPage(db: PgQueryable, q: HistoryQuery): Promise<HistoryPage> {
  const rows = (await db.execute(historySql("postgres", q))) as unknown as Array<
    Record<string, unknown>
  >;
  return pageOf(q, rows.map(numbersOf));
}

/** bigint and numeric columns (counts, ids, epoch ms, averages) as JS numbers */
export function numbersOf(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k] =
      v === null || typeof v === "boolean" || TEXT.has(k) || TEXT_ALERT.has(k) ? v : Number(v);
  return out;
}
