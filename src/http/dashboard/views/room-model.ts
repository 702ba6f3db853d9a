/**
 * A room as its pages show it, from the store: its usual reporting interval (the median gap of
 * its newest readings), stale past 3 missed intervals, and each rule's bounds with the value of
 * the rule engine's window that the rule compares now.
 */
import { defaultRuleOptions } from "../../../consumers/rooms/rule-engine.ts";
import type { ReadOps } from "../../../store/engine/index.ts";
import type { RoomAlertRow } from "../../../store/engine/console-types.ts";
import type { RoomRow, RuleRow } from "../../../store/queries.ts";
import type { WindowStats } from "../../../store/room-state.ts";
import type { Metric, RoomView, RuleCheck, RuleView } from "../../../../views/pages/rooms.tsx";

/** Readings looked at to know how often a room reports. */
const RECENT = 21;
/** A room is stale once this many of its usual intervals passed without a reading. */
export const MISSED_INTERVALS = 3;

/** The median gap between readings (times newest first), null with fewer than two. */
export function usualInterval(times: number[]): number | null {
  const gaps = times
    .slice(1)
    .map((t, i) => times[i]! - t)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  return gaps.length === 0 ? null : gaps[Math.floor(gaps.length / 2)]!;
}

export const isStale = (updatedAt: number, intervalMs: number | null, now: number) =>
  intervalMs !== null && now - updatedAt > MISSED_INTERVALS * intervalMs;

type Bound = { agg_type: "min" | "mean" | "max"; up: number | null; down: number | null };

/** Each metric of a rule's condition, with its window's value and whether it is outside now. */
export function checksOf(condition: unknown, window: WindowStats | undefined): RuleCheck[] {
  return Object.entries((condition ?? {}) as Record<string, Bound>)
    .filter(([metric]) => metric === "temperature" || metric === "humidity")
    .map(([metric, b]) => {
      const value = window?.[metric as Metric][b.agg_type] ?? null;
      const up = b.up ?? null;
      const down = b.down ?? null;
      return {
        metric: metric as Metric,
        agg: b.agg_type,
        up,
        down,
        value,
        breached:
          value !== null && ((up !== null && value > up) || (down !== null && value < down)),
      };
    });
}

/** The room subject of a rule alert ("room 3 rule 1" → 3). */
const roomOfSubject = (subject: string) => Number(/^room (\d+) /.exec(subject)?.[1] ?? NaN);

/**
 * Rooms as their pages show them: `one(n)` for a room's page, `all()` for the list (its rules
 * and alerts read once for every room). Reads through the store engine's read ops `q`.
 */
export function roomModel(q: ReadOps, windowMs = defaultRuleOptions.windowMs) {
  const c = q.console;
  const build = async (
    room: RoomRow,
    rules: RuleRow[],
    alerts: RoomAlertRow[],
    now: number,
  ): Promise<RoomView> => {
    const interval = usualInterval(await c.roomRecentTimes(room.room_no, RECENT));
    const window = await c.roomWindow(room.room_no, windowMs);
    return {
      ...room,
      interval_ms: interval,
      stale: isStale(room.updated_at, interval, now),
      window_ms: windowMs,
      rules: rules.map((r): RuleView => ({
        schedule_id: r.schedule_id,
        state: r.state,
        checks: checksOf(r.condition, window),
      })),
      alerts: alerts.map((a) => ({ id: a.id, message: a.message, created_at: a.created_at })),
    };
  };
  return {
    async one(roomNo: number, now: number): Promise<RoomView | undefined> {
      const room = await c.room(roomNo);
      return room && build(room, await c.rules(roomNo), await c.roomAlerts(roomNo), now);
    },
    async all(now: number): Promise<RoomView[]> {
      const rules = await c.rules();
      const alerts = await c.roomAlerts();
      // side by side: on PostgreSQL each room's reads go out on the pool together
      return Promise.all(
        (await q.queries.rooms()).map((room) =>
          build(
            room,
            rules.filter((r) => r.room_no === room.room_no),
            alerts.filter((a) => roomOfSubject(a.subject) === room.room_no),
            now,
          ),
        ),
      );
    },
  };
}
