/**
 * The Alerts page's groups on PostgreSQL (SQLite's: src/store/alert-list.ts), one query for the
 * dashboard (console.alertGroups) and the JSON API (api.alertGroups), with the real totals.
 */
import { and, eq, like, ne, or, sql, type SQL } from "drizzle-orm";
import {
  MAX_PAGE_SIZE,
  type AlertFilter,
  type AlertGroup,
  type AlertPage,
  type AlertState,
} from "../alert-list.ts";
import type { PgQueryable } from "./db.ts";
import { alerts } from "./schema.ts";

type Row = Record<string, unknown>;
const rowsOf = async (q: Promise<unknown>) => (await q) as unknown as Row[];

/** The filter's conditions other than the state (src/store/alert-list.ts's, in PostgreSQL). */
export const alertConcerns = (f: Omit<AlertFilter, "state">): SQL[] => {
  const where: SQL[] = [];
  if (f.kind !== undefined) where.push(eq(alerts.kind, f.kind));
  if (f.room !== undefined) {
    const room = `room ${Math.trunc(f.room)}`;
    where.push(or(eq(alerts.subject, room), like(alerts.subject, `${room} %`))!);
  }
  if (f.device !== undefined)
    where.push(or(eq(alerts.subject, f.device), eq(alerts.subject, `device ${f.device}`))!);
  return where;
};

/** `active`: open or acknowledged. */
export const alertStateIs = (state: AlertFilter["state"]): SQL | undefined =>
  state === "active" ? ne(alerts.state, "cleared") : state ? eq(alerts.state, state) : undefined;

/**
 * One page of groups (kind, subject, state), most urgent first, with the totals of the filter
 * and the count per state. The group's newest member (max id) gives its severity, message and
 * clearing time, from joining its row (SQLite takes them as bare columns).
 */
export async function pgAlertGroups(
  db: PgQueryable,
  filter: AlertFilter,
  page = 1,
  size = 50,
): Promise<AlertPage> {
  size = Math.min(Math.max(1, Math.trunc(size)), MAX_PAGE_SIZE);
  page = Math.max(1, Math.trunc(page));
  const others = alertConcerns(filter);
  const where = and(...others, alertStateIs(filter.state)) ?? sql`true`;
  const groups = (
    await rowsOf(
      db.execute(sql`
        WITH g AS (
          SELECT kind, subject, state, max(id) AS last_id, count(*) AS count,
            min(created_at) AS first_at, max(created_at) AS last_at
          FROM ${alerts} WHERE ${where} GROUP BY kind, subject, state)
        SELECT g.*, a.severity, a.message, a.cleared_at
        FROM g JOIN ${alerts} a ON a.id = g.last_id
        ORDER BY CASE g.state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END,
          CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
          g.last_at DESC, g.last_id DESC
        LIMIT ${size} OFFSET ${(page - 1) * size}`),
    )
  ).map((r): AlertGroup => ({
    kind: String(r.kind),
    subject: String(r.subject),
    state: r.state as AlertState,
    severity: r.severity as AlertGroup["severity"],
    message: String(r.message),
    last_id: Number(r.last_id),
    count: Number(r.count),
    first_at: Number(r.first_at),
    last_at: Number(r.last_at),
    cleared_at: r.cleared_at === null || r.cleared_at === undefined ? null : Number(r.cleared_at),
  }));
  const [totals] = await rowsOf(
    db.execute(sql`
      SELECT count(*) AS groups, coalesce(sum(n), 0) AS alerts FROM (
        SELECT count(*) AS n FROM ${alerts} WHERE ${where}
        GROUP BY kind, subject, state) AS g`),
  );
  const by_state: Record<AlertState, number> = { open: 0, acknowledged: 0, cleared: 0 };
  const perState = await db
    .select({ state: alerts.state, n: sql<string>`count(*)` })
    .from(alerts)
    .where(and(...others))
    .groupBy(alerts.state);
  for (const { state, n } of perState) by_state[state] = Number(n);
  const totalGroups = Number(totals?.groups ?? 0);
  return {
    groups,
    total_groups: totalGroups,
    total_alerts: Number(totals?.alerts ?? 0),
    page,
    pages: Math.max(1, Math.ceil(totalGroups / size)),
    size,
    by_state,
  };
}
