/**
 * The Alerts page's reads and bulk writes: alerts grouped by kind+subject+state (a bin that
 * filled 57 times is one line ×57), filtered, open first, paged with real totals; one group's
 * history; bulk acknowledge/clear by ids or by group.
 */
import { and, desc, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "./db.ts";
import { alertColumns } from "./columns.ts";
import { alerts } from "./schema.ts";

export type AlertState = "open" | "acknowledged" | "cleared";
export const ALERT_STATES: readonly AlertState[] = ["open", "acknowledged", "cleared"];

export interface AlertFilter {
  /** one state, or "active" (open or acknowledged); none = all */
  state?: AlertState | "active";
  kind?: string;
  /** alerts about this room (subject `room <n>` or `room <n> …`, e.g. a room rule) */
  room?: number;
  /** alerts about this device (subject `<id>` or `device <id>`) */
  device?: string;
}

/** A group: the alerts of one kind and subject in one state. */
export interface AlertGroup {
  kind: string;
  subject: string;
  state: AlertState;
  /** the newest member's severity and message */
  severity: "info" | "warning" | "critical";
  message: string;
  /** the newest member: the group's link */
  last_id: number;
  count: number;
  first_at: number;
  last_at: number;
  /** the newest member's clearing time (cleared groups) */
  cleared_at: number | null;
}

export interface AlertPage {
  groups: AlertGroup[];
  /** groups and alerts matching the filter, over all pages */
  total_groups: number;
  total_alerts: number;
  page: number;
  pages: number;
  size: number;
  /** alerts matching the filter's other fields, per state (the state tabs' counts) */
  by_state: Record<AlertState, number>;
}

export interface GroupKey {
  kind: string;
  subject: string;
  state: AlertState;
}

const concerns = (f: Omit<AlertFilter, "state">): SQL[] => {
  const where: SQL[] = [];
  if (f.kind !== undefined) where.push(eq(alerts.kind, f.kind));
  if (f.room !== undefined) {
    // an integer, so the pattern has no wildcard of the caller's
    const room = `room ${Math.trunc(f.room)}`;
    where.push(or(eq(alerts.subject, room), sql`${alerts.subject} LIKE ${room + " %"}`)!);
  }
  if (f.device !== undefined)
    where.push(or(eq(alerts.subject, f.device), eq(alerts.subject, `device ${f.device}`))!);
  return where;
};

const stateIs = (state: AlertFilter["state"]): SQL | undefined =>
  state === "active" ? ne(alerts.state, "cleared") : state ? eq(alerts.state, state) : undefined;

const STATE_RANK = sql`CASE ${alerts.state} WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END`;
const SEVERITY_RANK = sql`CASE ${alerts.severity} WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END`;

export const MAX_PAGE_SIZE = 200;

export function alertList(db: Db) {
  return {
    /**
     * One page of groups: open first, then acknowledged, then cleared; within a state the most
     * severe, then the most recent first. `page` counts from 1; past the last page is empty.
     */
    groups(filter: AlertFilter, page = 1, size = 50): AlertPage {
      size = Math.min(Math.max(1, Math.trunc(size)), MAX_PAGE_SIZE);
      page = Math.max(1, Math.trunc(page));
      const others = concerns(filter);
      const where = and(...others, stateIs(filter.state));
      // SQLite takes bare columns from the row that holds max(id): the newest member
      const groups = db.all<AlertGroup>(sql`
        SELECT kind, subject, state, severity, message, max(id) AS last_id, count(*) AS count,
               min(created_at) AS first_at, max(created_at) AS last_at, cleared_at
        FROM ${alerts} WHERE ${where ?? sql`1`}
        GROUP BY kind, subject, state
        ORDER BY ${STATE_RANK}, ${SEVERITY_RANK}, max(created_at) DESC, max(id) DESC
        LIMIT ${size} OFFSET ${(page - 1) * size}`);
      const [totals] = db.all<{ groups: number; alerts: number }>(sql`
        SELECT count(*) AS groups, coalesce(sum(n), 0) AS alerts FROM (
          SELECT count(*) AS n FROM ${alerts} WHERE ${where ?? sql`1`}
          GROUP BY kind, subject, state)`);
      const by_state: Record<AlertState, number> = { open: 0, acknowledged: 0, cleared: 0 };
      const perState = db
        .select({ state: alerts.state, n: sql<number>`count(*)` })
        .from(alerts)
        .where(and(...others))
        .groupBy(alerts.state)
        .all();
      for (const { state, n } of perState) by_state[state] = n;
      return {
        groups,
        total_groups: totals?.groups ?? 0,
        total_alerts: totals?.alerts ?? 0,
        page,
        pages: Math.max(1, Math.ceil((totals?.groups ?? 0) / size)),
        size,
        by_state,
      };
    },
    /** The kinds that were ever raised (the kind filter's choices). */
    kinds: (): string[] =>
      db
        .selectDistinct({ kind: alerts.kind })
        .from(alerts)
        .orderBy(alerts.kind)
        .all()
        .map((r) => r.kind),
    byId: (id: number) => db.select(alertColumns).from(alerts).where(eq(alerts.id, id)).get(),
    /** Every time this kind+subject fired, newest first (at most `limit`), and how many in all. */
    history(kind: string, subject: string, limit = 100) {
      const same = and(eq(alerts.kind, kind), eq(alerts.subject, subject));
      const rows = db
        .select({
          id: alerts.id,
          state: alerts.state,
          severity: alerts.severity,
          message: alerts.message,
          created_at: alerts.createdAt,
          cleared_at: alerts.clearedAt,
        })
        .from(alerts)
        .where(same)
        .orderBy(desc(alerts.createdAt), desc(alerts.id))
        .limit(limit)
        .all();
      const total = db
        .select({ n: sql<number>`count(*)` })
        .from(alerts)
        .where(same)
        .get()!.n;
      return { rows, total };
    },
  };
}

/** How many alerts are in this state ("active": open or acknowledged; none: all). */
export function countAlerts(db: Db, state?: AlertState | "active"): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(alerts)
    .where(stateIs(state))
    .get()!.n;
}

/** Which states an action moves from: acknowledge an open alert; clear one not cleared yet. */
const FROM: Record<"acknowledged" | "cleared", AlertState[]> = {
  acknowledged: ["open"],
  cleared: ["open", "acknowledged"],
};

/** Bulk acknowledge/clear; each returns the ids it changed (others were already past it). */
export function alertBulk(db: Db) {
  const set = (to: "acknowledged" | "cleared", now: number) =>
    to === "cleared" ? { state: to, clearedAt: now } : { state: to };
  return {
    byIds(ids: number[], to: "acknowledged" | "cleared", now: number): number[] {
      if (ids.length === 0) return [];
      return db
        .update(alerts)
        .set(set(to, now))
        .where(and(inArray(alerts.id, ids), inArray(alerts.state, FROM[to])))
        .returning({ id: alerts.id })
        .all()
        .map((r) => r.id);
    },
    byGroups(groups: GroupKey[], to: "acknowledged" | "cleared", now: number): number[] {
      const changed: number[] = [];
      for (const g of groups) {
        if (!FROM[to].includes(g.state)) continue;
        const rows = db
          .update(alerts)
          .set(set(to, now))
          .where(
            and(eq(alerts.kind, g.kind), eq(alerts.subject, g.subject), eq(alerts.state, g.state)),
          )
          .returning({ id: alerts.id })
          .all();
        changed.push(...rows.map((r) => r.id));
      }
      return changed;
    },
  };
}
