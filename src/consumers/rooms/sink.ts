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

/** Room readings (`room`) and rule changes (`room_rule`) → latest values, history, rule alerts. */
export function roomsSink(db: Db, alerts: Alerts, bus: EventBus, opts: RuleOptions): Sink {
  const windows = new Map<number, RoomWindow>();
  const byRoom = new Map<number, Map<number, Rule>>();
  const rows = roomRows(db);
  for (const row of rows.rules()) {
    const rule = {
      roomNo: row.roomNo,
      scheduleId: row.scheduleId,
      condition: row.condition as Rule["condition"],
      state: row.state,
    };
    (byRoom.get(row.roomNo) ?? byRoom.set(row.roomNo, new Map()).get(row.roomNo)!).set(
      row.scheduleId,
      rule,
    );
  }
  const check = (roomNo: number) => {
    const window = windows.get(roomNo);
    if (!window) return;
    for (const rule of byRoom.get(roomNo)?.values() ?? []) {
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
    if (!rows.insertReading({ ...s, ts, ...sourceOf(record) })) return; // redelivered
    let w = windows.get(s.roomNo);
    if (!w) windows.set(s.roomNo, (w = new RoomWindow(opts.windowMs)));
    w.add({ ts, temperature: s.temperature, humidity: s.humidity });
    bus.publish({ type: "room" });
    check(s.roomNo);
  };

  const onRule = (r: RoomRule) => {
    const room = byRoom.get(r.roomNo) ?? byRoom.set(r.roomNo, new Map()).get(r.roomNo)!;
    if (r.order === "delete") {
      room.delete(r.scheduleId);
      rows.deleteRule(r);
      alerts.clear("room-rule", subject(r));
      return;
    }
    const rule: Rule = {
      roomNo: r.roomNo,
      scheduleId: r.scheduleId,
      condition: r.condition,
      state: room.get(r.scheduleId)?.state ?? "ok",
    };
    room.set(r.scheduleId, rule);
    rows.saveRule(rule, Date.now());
    bus.publish({ type: "rule" });
    check(r.roomNo);
  };

  return {
    name: "rooms",
    topics: [topics.room, topics.roomRule],
    store: db,
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
