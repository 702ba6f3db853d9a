/**
 * The sinks' writes on PostgreSQL: the same rows as the SQLite modules (readings.ts, images.ts,
 * bins.ts, presence.ts, rooms.ts, devices.ts, alerts.ts), idempotent on the same unique keys
 * (`ON CONFLICT DO NOTHING`: a redelivered record or a repeated msg_id inserts nothing).
 */
import { and, asc, desc, eq, inArray, lt, ne, or, sql } from "drizzle-orm";
import { TRAIL_LENGTH, type Position } from "../device-positions.ts";
import { TOUCH_STEP_MS } from "../devices.ts";
import type { IngestOps } from "../engine/types.ts";
import type { PgQueryable } from "./db.ts";
import {
  alerts,
  bins,
  devicePositions,
  devices,
  notifyOutbox,
  rules,
  entranceEvents,
  images,
  people,
  readings,
  roomReadings,
  rooms,
} from "./schema.ts";

const later = (ts: number) => sql`greatest(coalesce(${devices.lastSeen}, 0), ${ts})`;
const inserted = (rows: unknown[]) => rows.length > 0;
type RuleKey = { roomNo: number; scheduleId: number };
const ruleKey = (r: RuleKey) => and(eq(rules.roomNo, r.roomNo), eq(rules.scheduleId, r.scheduleId));

export function pgIngestOps(db: PgQueryable): IngestOps {
  return {
    readings: {
      insert: async (row) =>
        inserted(
          await db
            .insert(readings)
            .values(row)
            .onConflictDoNothing()
            .returning({ id: readings.id }),
        ),
    },
    images: {
      insert: async (row) => {
        const [r] = await db
          .insert(images)
          .values(row)
          .onConflictDoNothing()
          .returning({ id: images.id });
        return r?.id;
      },
      storedPath: async (src, deviceId, msgId) => {
        const sameRecord = and(
          eq(images.srcTopic, src.srcTopic),
          eq(images.srcPartition, src.srcPartition),
          eq(images.srcOffset, src.srcOffset),
          eq(images.srcEpoch, src.srcEpoch),
          eq(images.srcTimestamp, src.srcTimestamp),
        );
        const sameMessage =
          msgId === null ? undefined : and(eq(images.deviceId, deviceId), eq(images.msgId, msgId));
        const [r] = await db
          .select({ path: images.path })
          .from(images)
          .where(sameMessage ? or(sameRecord, sameMessage) : sameRecord)
          .limit(1);
        return r?.path;
      },
    },
    bins: {
      insert: async (row) =>
        inserted(
          await db.insert(bins).values(row).onConflictDoNothing().returning({ id: bins.id }),
        ),
    },
    presence: {
      insertEvent: async (e) =>
        inserted(
          await db
            .insert(entranceEvents)
            .values(e)
            .onConflictDoNothing()
            .returning({ id: entranceEvents.id }),
        ),
      people: () => db.select().from(people),
      savePerson: async (person) => {
        await db
          .insert(people)
          .values(person)
          .onConflictDoUpdate({ target: people.name, set: { ...person } });
      },
    },
    rooms: {
      insertReading: async (r) => {
        const fresh = inserted(
          await db
            .insert(roomReadings)
            .values(r)
            .onConflictDoNothing()
            .returning({ id: roomReadings.id }),
        );
        if (!fresh) return false;
        const latest = { temperature: r.temperature, humidity: r.humidity, updatedAt: r.ts };
        await db
          .insert(rooms)
          .values({ roomNo: r.roomNo, ...latest })
          .onConflictDoUpdate({ target: rooms.roomNo, set: latest });
        return true;
      },
      rules: () =>
        db
          .select({
            roomNo: rules.roomNo,
            scheduleId: rules.scheduleId,
            condition: rules.condition,
            state: rules.state,
          })
          .from(rules),
      saveRule: async (r, now) => {
        await db
          .insert(rules)
          .values({ ...r, updatedAt: now })
          .onConflictDoUpdate({
            target: [rules.roomNo, rules.scheduleId],
            set: { condition: r.condition, updatedAt: now },
          });
      },
      setRuleState: async (r, state, now) => {
        await db.update(rules).set({ state, updatedAt: now }).where(ruleKey(r));
      },
      deleteRule: async (r) => {
        await db.delete(rules).where(ruleKey(r));
      },
    },
    positions: {
      add: async (deviceId, p) => {
        await db.insert(devicePositions).values({ deviceId, ...p });
        const [cut] = await db
          .select({ ts: devicePositions.ts })
          .from(devicePositions)
          .where(eq(devicePositions.deviceId, deviceId))
          .orderBy(desc(devicePositions.ts), desc(devicePositions.id))
          .limit(1)
          .offset(TRAIL_LENGTH - 1);
        if (cut)
          await db
            .delete(devicePositions)
            .where(and(eq(devicePositions.deviceId, deviceId), lt(devicePositions.ts, cut.ts)));
      },
      trails: async (ids) => {
        const rows = await db
          .select({
            deviceId: devicePositions.deviceId,
            ts: devicePositions.ts,
            x: devicePositions.x,
            y: devicePositions.y,
          })
          .from(devicePositions)
          .where(ids ? inArray(devicePositions.deviceId, ids) : undefined)
          .orderBy(asc(devicePositions.ts), asc(devicePositions.id));
        const out = new Map<string, Position[]>();
        for (const { deviceId, ...p } of rows) {
          const list = out.get(deviceId) ?? [];
          list.push(p);
          out.set(deviceId, list);
        }
        return out;
      },
    },
    notify: {
      enqueue: async (alertId, event, at) => {
        await db.insert(notifyOutbox).values({ alertId, event, at });
      },
      pending: (limit) =>
        db
          .select({
            id: notifyOutbox.id,
            alertId: notifyOutbox.alertId,
            event: notifyOutbox.event,
            at: notifyOutbox.at,
            kind: alerts.kind,
            subject: alerts.subject,
            message: alerts.message,
            severity: alerts.severity,
          })
          .from(notifyOutbox)
          .innerJoin(alerts, eq(alerts.id, notifyOutbox.alertId))
          .orderBy(asc(notifyOutbox.id))
          .limit(limit),
    },
    devices: {
      touch: async (id, ts) => {
        await db
          .insert(devices)
          .values({ id, lastSeen: ts, online: true })
          .onConflictDoUpdate({
            target: devices.id,
            set: { lastSeen: later(ts), online: true },
            // as on SQLite (src/store/devices.ts): no row version while nothing shown would change
            setWhere: sql`${devices.online} = false or coalesce(${devices.lastSeen}, 0) <= ${ts - TOUCH_STEP_MS}`,
          });
      },
      report: async (d) => {
        const set = {
          kind: d.kind,
          online: d.online,
          lastSeen: later(d.ts),
          ...(d.x !== undefined ? { x: d.x } : {}),
          ...(d.y !== undefined ? { y: d.y } : {}),
          ...(d.status ? { status: d.status } : {}),
        };
        await db
          .insert(devices)
          .values({
            id: d.id,
            kind: d.kind,
            online: d.online,
            lastSeen: d.ts,
            x: d.x,
            y: d.y,
            status: d.status,
          })
          .onConflictDoUpdate({ target: devices.id, set });
      },
      desire: async (id, status) => {
        await db
          .insert(devices)
          .values({ id, desiredStatus: status })
          .onConflictDoUpdate({ target: devices.id, set: { desiredStatus: status } });
      },
    },
    alerts: {
      active: async (kind, subject) => {
        const [row] = await db
          .select()
          .from(alerts)
          .where(
            and(eq(alerts.kind, kind), eq(alerts.subject, subject), ne(alerts.state, "cleared")),
          )
          .limit(1);
        return row;
      },
      open: async (kind, subject, message, severity, now) => {
        const [row] = await db
          .insert(alerts)
          .values({ kind, subject, message, severity, state: "open", createdAt: now })
          .returning({ id: alerts.id });
        return row!.id;
      },
      clear: async (id, now) => {
        await db.update(alerts).set({ state: "cleared", clearedAt: now }).where(eq(alerts.id, id));
      },
      setState: async (id, state, now) => {
        const [row] = await db
          .update(alerts)
          .set(state === "cleared" ? { state, clearedAt: now } : { state })
          .where(and(eq(alerts.id, id), ne(alerts.state, "cleared")))
          .returning();
        return row;
      },
    },
  };
}
