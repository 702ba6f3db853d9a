/** The JSON API's ops on PostgreSQL (src/store/engine/api-types.ts; SQLite: sqlite-api.ts). */
import { desc, eq, sql, type SQL } from "drizzle-orm";
import type { ApiReadOps, ApiWriteOps } from "../engine/api-types.ts";
import type { PgQueryable } from "./db.ts";
import { alertConcerns, alertStateIs, pgAlertGroups } from "./alert-groups.ts";
import { personColumns, ruleColumns } from "./columns.ts";
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
      rules: () => db.select(ruleColumns).from(rules).orderBy(rules.roomNo, rules.scheduleId),
      people: () => db.select(personColumns).from(people).orderBy(people.name),
      alertGroups: (filter, page, size) => pgAlertGroups(db, filter, page, size),
      countAlerts: (state) => count(alertStateIs(state)),
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
