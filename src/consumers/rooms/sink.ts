import { topics } from "../../core/kafka/topics.ts";
import type { EventBus } from "../../events/index.ts";
import type { StoreEngine, StoreOps } from "../../store/engine/index.ts";
import type { Alerts } from "../../alerts/index.ts";
import { parseRoomRule, parseRoomStatus, type RoomRule, type RoomStatus } from "../parse/room.ts";
import { partition, sourceOf, type EngineSink, type SinkRecord } from "../run-sink.ts";
import { evaluateRule, RoomWindow, type Rule, type RuleOptions } from "./rule-engine.ts";

const subject = (r: { roomNo: number; scheduleId: number }) =>
  `room ${r.roomNo} rule ${r.scheduleId}`;

/**
 * Room readings (`room`) and rule changes (`room_rule`) → latest values, history, rule alerts.
 *
 * Several `--role consumers` processes share the partitions, so the store is the truth: a
 * room's rules and their ok/alert state are read from it at each check (a rule saved, or an
 * alert raised, by another process is seen at once, and cleared by whoever holds the room now),
 * and a room's window is rebuilt from its stored readings the first time the room is seen after
 * each partition assignment. A redelivered reading is not stored again, so it is not counted
 * twice either. A room's rules are read locked (FOR UPDATE on PostgreSQL; SQLite's transaction
 * holds the file): another process checking the same rule at once waits, then sees its new
 * state, so one crossing raises one alert.
 */
export function roomsSink(
  engine: StoreEngine,
  alerts: Alerts,
  bus: EventBus,
  opts: RuleOptions,
): EngineSink {
  /** rooms seen since the last assignment: their readings all pass here (keyed by room) */
  const windows = new Map<number, RoomWindow>();
  const fromStore = async (tx: StoreOps, roomNo: number) => {
    const w = new RoomWindow(opts.windowMs);
    w.addAll(await tx.roomState.recentReadings(roomNo, opts.windowMs));
    return w;
  };
  /** `keep`: this process holds the room's readings, so the window stays valid until reassigned */
  const check = async (tx: StoreOps, roomNo: number, keep: boolean) => {
    const stored = await tx.roomState.rulesOf(roomNo);
    let window = windows.get(roomNo);
    if (!window) {
      window = await fromStore(tx, roomNo);
      if (keep) windows.set(roomNo, window);
    }
    for (const row of stored) {
      const rule: Rule = { ...row, condition: row.condition as Rule["condition"] };
      const t = evaluateRule(rule, window, opts);
      if (!t) continue;
      await tx.rooms.setRuleState(rule, rule.state, Date.now());
      if (t.to === "alert")
        await alerts.raiseIn(tx, "room-rule", subject(rule), t.message, "warning");
      else await alerts.clearIn(tx, "room-rule", subject(rule));
      bus.publish({ type: "rule" });
    }
  };

  const onReading = async (tx: StoreOps, record: SinkRecord, s: RoomStatus) => {
    const ts = record.timestamp;
    const known = windows.get(s.roomNo);
    if (!(await tx.rooms.insertReading({ ...s, ts, ...sourceOf(record) }))) return; // redelivered
    // a window built now reads this reading back from the store with the others
    if (known) known.add({ ts, temperature: s.temperature, humidity: s.humidity });
    bus.publish({ type: "room" });
    await check(tx, s.roomNo, true);
  };

  const onRule = async (tx: StoreOps, r: RoomRule) => {
    if (r.order === "delete") {
      await tx.rooms.deleteRule(r);
      await alerts.clearIn(tx, "room-rule", subject(r));
      bus.publish({ type: "rule" });
      return;
    }
    // a new rule starts ok; an existing one keeps its stored state
    await tx.rooms.saveRule(
      { roomNo: r.roomNo, scheduleId: r.scheduleId, condition: r.condition, state: "ok" },
      Date.now(),
    );
    bus.publish({ type: "rule" });
    // `room_rule` may be assigned apart from `room`: this process may not hold the readings
    await check(tx, r.roomNo, false);
  };

  return {
    name: "rooms",
    topics: [topics.room, topics.roomRule],
    engine,
    // partitions may have moved: rooms this process held may have had readings elsewhere since
    onAssign: () => windows.clear(),
    async handle(records, tx) {
      // parsed first: a bad record is a dead letter, while a failed write fails the whole batch
      const { ok, rejected } = partition(records, (r) =>
        r.topic === topics.room
          ? { status: parseRoomStatus(r.value), rule: undefined }
          : { status: undefined, rule: parseRoomRule(r.value) },
      );
      for (const { record, value } of ok)
        if (value.status) await onReading(tx, record, value.status);
        else if (value.rule) await onRule(tx, value.rule);
      return rejected;
    },
  };
}
