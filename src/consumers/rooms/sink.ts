import { topics } from "../../core/kafka/topics.ts";
import type { EventBus } from "../../events/index.ts";
import type { Db } from "../../store/index.ts";
import { roomRows } from "../../store/rooms.ts";
import type { Alerts } from "../../alerts/index.ts";
import { parseRoomRule, parseRoomStatus, type RoomRule, type RoomStatus } from "../parse/room.ts";
import { partition, sourceOf, type Sink, type SinkRecord } from "../run-sink.ts";
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
 * twice either. Every read here follows a write of the same batch transaction, so it sees the
 * store as no other process can change it until the batch commits.
 */
export function roomsSink(db: Db, alerts: Alerts, bus: EventBus, opts: RuleOptions): Sink {
  /** rooms seen since the last assignment: their readings all pass here (keyed by room) */
  const windows = new Map<number, RoomWindow>();
  const rows = roomRows(db);
  const fromStore = (roomNo: number) => {
    const w = new RoomWindow(opts.windowMs);
    w.addAll(rows.recentReadings(roomNo, opts.windowMs));
    return w;
  };
  /** `keep`: this process holds the room's readings, so the window stays valid until reassigned */
  const check = (roomNo: number, keep: boolean) => {
    let window = windows.get(roomNo);
    if (!window) {
      window = fromStore(roomNo);
      if (keep) windows.set(roomNo, window);
    }
    for (const row of rows.rulesOf(roomNo)) {
      const rule: Rule = { ...row, condition: row.condition as Rule["condition"] };
      const t = evaluateRule(rule, window, opts);
      if (!t) continue;
      rows.setRuleState(rule, rule.state, Date.now());
      if (t.to === "alert") alerts.raise("room-rule", subject(rule), t.message, "warning");
      else alerts.clear("room-rule", subject(rule));
      bus.publish({ type: "rule" });
    }
  };

  const onReading = (record: SinkRecord, s: RoomStatus) => {
    const ts = record.timestamp;
    const known = windows.get(s.roomNo);
    if (!rows.insertReading({ ...s, ts, ...sourceOf(record) })) return; // redelivered
    // a window built now reads this reading back from the store with the others
    if (known) known.add({ ts, temperature: s.temperature, humidity: s.humidity });
    bus.publish({ type: "room" });
    check(s.roomNo, true);
  };

  const onRule = (r: RoomRule) => {
    if (r.order === "delete") {
      rows.deleteRule(r);
      alerts.clear("room-rule", subject(r));
      bus.publish({ type: "rule" });
      return;
    }
    // a new rule starts ok; an existing one keeps its stored state
    rows.saveRule(
      { roomNo: r.roomNo, scheduleId: r.scheduleId, condition: r.condition, state: "ok" },
      Date.now(),
    );
    bus.publish({ type: "rule" });
    // `room_rule` may be assigned apart from `room`: this process may not hold the readings
    check(r.roomNo, false);
  };

  return {
    name: "rooms",
    topics: [topics.room, topics.roomRule],
    store: db,
    // partitions may have moved: rooms this process held may have had readings elsewhere since
    onAssign: () => windows.clear(),
    handle(records) {
      // parsed first: a bad record is a dead letter, while a failed write fails the whole batch
      const { ok, rejected } = partition(records, (r) =>
        r.topic === topics.room
          ? { status: parseRoomStatus(r.value), rule: undefined }
          : { status: undefined, rule: parseRoomRule(r.value) },
      );
      for (const { record, value } of ok)
        if (value.status) onReading(record, value.status);
        else if (value.rule) onRule(value.rule);
      return rejected;
    },
  };
}
