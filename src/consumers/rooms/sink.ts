import { and, eq } from "drizzle-orm";
import { topics } from "../../core/kafka/topics.ts";
import type { EventBus } from "../../events/index.ts";
import type { Db } from "../../store/index.ts";
import { roomReadings, rooms, rules } from "../../store/schema.ts";
import type { Alerts } from "../../alerts/index.ts";
import { parseRoomRule, parseRoomStatus } from "../parse/room.ts";
import { partition, sourceOf, type Sink, type SinkRecord } from "../run-sink.ts";
import { evaluateRule, RoomWindow, type Rule, type RuleOptions } from "./rule-engine.ts";

const subject = (r: { roomNo: number; scheduleId: number }) =>
  `room ${r.roomNo} rule ${r.scheduleId}`;

/** Room readings (`room`) and rule changes (`room_rule`) → latest values, history, rule alerts. */
export function roomsSink(db: Db, alerts: Alerts, bus: EventBus, opts: RuleOptions): Sink {
  const windows = new Map<number, RoomWindow>();
  const byRoom = new Map<number, Map<number, Rule>>();
  for (const row of db.select().from(rules).all()) {
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
      db.update(rules)
        .set({ state: rule.state, updatedAt: Date.now() })
        .where(and(eq(rules.roomNo, rule.roomNo), eq(rules.scheduleId, rule.scheduleId)))
        .run();
      if (t.to === "alert") alerts.raise("room-rule", subject(rule), t.message, "warning");
      else alerts.clear("room-rule", subject(rule), t.message);
      bus.publish({
        type: "rule",
        roomNo: rule.roomNo,
        scheduleId: rule.scheduleId,
        state: rule.state,
      });
    }
  };

  const onReading = (record: SinkRecord) => {
    const s = parseRoomStatus(record.value);
    const ts = record.timestamp;
    const fresh = db
      .insert(roomReadings)
      .values({
        roomNo: s.roomNo,
        ts,
        temperature: s.temperature,
        humidity: s.humidity,
        ...sourceOf(record),
      })
      .onConflictDoNothing()
      .returning({ id: roomReadings.id })
      .get();
    if (!fresh) return;
    db.insert(rooms)
      .values({ roomNo: s.roomNo, temperature: s.temperature, humidity: s.humidity, updatedAt: ts })
      .onConflictDoUpdate({
        target: rooms.roomNo,
        set: { temperature: s.temperature, humidity: s.humidity, updatedAt: ts },
      })
      .run();
    let w = windows.get(s.roomNo);
    if (!w) windows.set(s.roomNo, (w = new RoomWindow(opts.windowMs)));
    w.add({ ts, temperature: s.temperature, humidity: s.humidity });
    bus.publish({
      type: "room",
      roomNo: s.roomNo,
      temperature: s.temperature ?? undefined,
      humidity: s.humidity ?? undefined,
      ts,
    });
    check(s.roomNo);
  };

  const onRule = (record: SinkRecord) => {
    const r = parseRoomRule(record.value);
    const room = byRoom.get(r.roomNo) ?? byRoom.set(r.roomNo, new Map()).get(r.roomNo)!;
    const key = and(eq(rules.roomNo, r.roomNo), eq(rules.scheduleId, r.scheduleId));
    if (r.order === "delete") {
      room.delete(r.scheduleId);
      db.delete(rules).where(key).run();
      alerts.clear("room-rule", subject(r), `${subject(r)} deleted`);
      return;
    }
    const rule: Rule = {
      roomNo: r.roomNo,
      scheduleId: r.scheduleId,
      condition: r.condition,
      state: room.get(r.scheduleId)?.state ?? "ok",
    };
    room.set(r.scheduleId, rule);
    db.insert(rules)
      .values({
        roomNo: r.roomNo,
        scheduleId: r.scheduleId,
        condition: r.condition,
        state: rule.state,
        updatedAt: Date.now(),
      })
      .onConflictDoUpdate({
        target: [rules.roomNo, rules.scheduleId],
        set: { condition: r.condition, updatedAt: Date.now() },
      })
      .run();
    bus.publish({ type: "rule", roomNo: r.roomNo, scheduleId: r.scheduleId, state: rule.state });
    check(r.roomNo);
  };

  return {
    name: "rooms",
    topics: [topics.room, topics.roomRule],
    handle(records) {
      const { rejected } = partition(records, (r) =>
        r.topic === topics.room ? onReading(r) : onRule(r),
      );
      return rejected;
    },
  };
}
