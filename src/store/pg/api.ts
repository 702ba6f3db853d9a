/** The JSON API's ops on PostgreSQL (src/store/engine/api-types.ts; SQLite: sqlite-api.ts). */
import { and, desc, eq, ne, or, sql, type SQL } from "drizzle-orm";
import type { AlertFilter, AlertGroup, AlertState } from "../alert-list.ts";
import { MAX_PAGE_SIZE } from "../alert-list.ts";
import type { ApiReadOps, ApiWriteOps } from "../engine/api-types.ts";
import type { PgQueryable } from "./db.ts";
import { pgAuthOps } from "./auth.ts";
import { pgAlertBulk } from "./sinks.ts";
import { pgHistoryPage } from "./history.ts";
import {
  alerts,
  bins,
  deviceCommands,
  devicePositions,
  devices,
  images,
  notifySettings,
  people,
  readings,
  rules,
} from "./schema.ts";

const concerns = (f: Omit<AlertFilter, "state">): SQL[] => {
  const where: SQL[] = [];
  if (f.kind !== undefined) where.push(eq(alerts.kind, f.kind));
  if (f.room !== undefined) {
    const room = `room ${Math.trunc(f.room)}`;
    where.push(or(eq(alerts.subject, room), sql`${alerts.subject} LIKE ${room + " %"}`)!);
  }
  if (f.device !== undefined)
    where.push(or(eq(alerts.subject, f.device), eq(alerts.subject, `device ${f.device}`))!);
  return where;
};
const stateIs = (state: AlertFilter["state"]): SQL | undefined =>
  state === "active" ? ne(alerts.state, "cleared") : state ? eq(alerts.state, state) : undefined;

export function pgApiOps(db: PgQueryable): ApiReadOps & ApiWriteOps {
  const bulk = pgAlertBulk(db);
  const count = async (where: SQL | undefined) =>
    Number(
      (
        await db
          .select({ n: sql`count(*)` })
          .from(alerts)
          .where(where)
      )[0]?.n ?? 0,
    );
  const auth = pgAuthOps(db);
  return {
    authReads: {
      tokensOfKind: auth.tokens.ofKind,
      tokenList: auth.tokens.list,
      liveSession: auth.sessions.live,
    },
    api: {
      images: (deviceId, limit) =>
        db
          .select({
            id: images.id,
            device_id: images.deviceId,
            ts: images.ts,
            bytes: images.bytes,
            width: images.width,
            height: images.height,
            msg_id: images.msgId,
          })
          .from(images)
          .where(deviceId ? eq(images.deviceId, deviceId) : undefined)
          .orderBy(desc(images.ts), desc(images.id))
          .limit(limit),
      imagePath: async (id) =>
        (await db.select({ path: images.path }).from(images).where(eq(images.id, id)))[0]?.path,
      bins: (limit) =>
        db
          .select({
            id: bins.id,
            bin_count: bins.binCount,
            bin_level: bins.binLevel,
            full: bins.full,
            m_time: bins.mTime,
            ts: bins.ts,
          })
          .from(bins)
          .orderBy(desc(bins.ts), desc(bins.id))
          .limit(limit),
      rules: () =>
        db
          .select({
            room_no: rules.roomNo,
            schedule_id: rules.scheduleId,
            condition: rules.condition,
            state: rules.state,
            updated_at: rules.updatedAt,
          })
          .from(rules)
          .orderBy(rules.roomNo, rules.scheduleId) as never,
      people: () =>
        db
          .select({
            name: people.name,
            state: people.state,
            since: people.since,
            day: people.day,
            away_ms_today: people.awayMsToday,
            flagged: people.flagged,
          })
          .from(people)
          .orderBy(people.name),
      /**
       * As SQLite's (src/store/alert-list.ts); the newest member's severity, message and
       * clearing time come from joining its row (SQLite takes them as bare columns).
       */
      alertGroups: async (filter, page = 1, size = 50) => {
        size = Math.min(Math.max(1, Math.trunc(size)), MAX_PAGE_SIZE);
        page = Math.max(1, Math.trunc(page));
        const others = concerns(filter);
        const where = and(...others, stateIs(filter.state)) ?? sql`true`;
        const rows = (await db.execute(sql`
          SELECT g.kind, g.subject, g.state, a.severity, a.message, g.last_id, g.count,
                 g.first_at, g.last_at, a.cleared_at
          FROM (
            SELECT kind, subject, state, max(id) AS last_id, count(*) AS count,
                   min(created_at) AS first_at, max(created_at) AS last_at
            FROM ${alerts} WHERE ${where} GROUP BY kind, subject, state
          ) g JOIN ${alerts} a ON a.id = g.last_id
          ORDER BY CASE g.state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END,
                   CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                   g.last_at DESC, g.last_id DESC
          LIMIT ${size} OFFSET ${(page - 1) * size}`)) as unknown as Array<Record<string, unknown>>;
        const groups: AlertGroup[] = rows.map((r) => ({
          kind: String(r.kind),
          subject: String(r.subject),
          state: r.state as AlertState,
          severity: r.severity as AlertGroup["severity"],
          message: String(r.message),
          last_id: Number(r.last_id),
          count: Number(r.count),
          first_at: Number(r.first_at),
          last_at: Number(r.last_at),
          cleared_at: r.cleared_at === null ? null : Number(r.cleared_at),
        }));
        const [totals] = (await db.execute(sql`
          SELECT count(*) AS groups, coalesce(sum(n), 0) AS alerts FROM (
            SELECT count(*) AS n FROM ${alerts} WHERE ${where}
            GROUP BY kind, subject, state) t`)) as unknown as Array<Record<string, unknown>>;
        const by_state: Record<AlertState, number> = { open: 0, acknowledged: 0, cleared: 0 };
        const perState = await db
          .select({ state: alerts.state, n: sql`count(*)` })
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
      },
      countAlerts: (state) => count(stateIs(state)),
      history: (q) => pgHistoryPage(db, q),
      savedNotifySettings: async () =>
        (
          await db
            .select({ config: notifySettings.config })
            .from(notifySettings)
            .where(eq(notifySettings.id, 1))
        )[0]?.config,
    },
    apiWrites: {
      addCommand: async (c) => {
        await db.insert(deviceCommands).values({ ...c, problem: c.problem ?? null });
      },
      renameDevice: async (id, name) => {
        const clean = name?.trim() || null;
        const rows = await db
          .update(devices)
          .set({ name: clean })
          .where(eq(devices.id, id))
          .returning({ id: devices.id });
        return rows.length > 0;
      },
      /** in one transaction when called in one (the route does: engine.transaction) */
      removeDevice: async (id, withData) => {
        const existed =
          (await db.delete(devices).where(eq(devices.id, id)).returning({ id: devices.id }))
            .length > 0;
        await db.delete(devicePositions).where(eq(devicePositions.deviceId, id));
        await db.delete(deviceCommands).where(eq(deviceCommands.deviceId, id));
        if (!withData) return { existed, imagePaths: [] };
        const imagePaths = (
          await db.delete(images).where(eq(images.deviceId, id)).returning({ path: images.path })
        ).map((r) => r.path);
        await db.delete(readings).where(eq(readings.deviceId, id));
        return { existed, imagePaths };
      },
      saveNotifySettings: async (config, now) => {
        await db
          .insert(notifySettings)
          .values({ id: 1, config, updatedAt: now })
          .onConflictDoUpdate({ target: notifySettings.id, set: { config, updatedAt: now } });
      },
      alertsByIds: bulk.byIds,
      alertsByGroups: bulk.byGroups,
    },
  };
}
