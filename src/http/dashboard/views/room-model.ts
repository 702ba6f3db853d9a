/**
 * A room as its pages show it, from the store: its usual reporting interval (the median gap of
 * its newest readings), stale past 3 missed intervals, and each rule's bounds with the value of
 * the rule engine's window that the rule compares now.
 */
import { defaultRuleOptions } from "../../../consumers/rooms/rule-engine.ts";
import type { Db } from "../../../store/index.ts";
import { roomState, type WindowStats } from "../../../store/room-state.ts";
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

export function roomModel(db: Db, windowMs = defaultRuleOptions.windowMs) {
  const s = roomState(db);
  return (roomNo: number, now: number): RoomView | undefined => {
    const room = s.room(roomNo);
    if (!room) return undefined;
    const interval = usualInterval(s.recentTimes(roomNo, RECENT));
    const window = s.window(roomNo, windowMs);
    const rules: RuleView[] = s.rules(roomNo).map((r) => ({
      schedule_id: r.schedule_id,
      state: r.state,
      checks: checksOf(r.condition, window),
    }));
    return {
      ...room,
      interval_ms: interval,
      stale: isStale(room.updated_at, interval, now),
      window_ms: windowMs,
      rules,
      alerts: s.activeAlerts(roomNo).map((a) => ({
        id: a.id,
        message: a.message,
        created_at: a.created_at,
      })),
    };
  };
}
