import { describe, expect, test } from "bun:test";
import { Alerts } from "../alerts/index.ts";
import { EventBus } from "../events/index.ts";
import { openStore } from "./db.ts";
import { roomRows } from "./rooms.ts";
import { roomState } from "./room-state.ts";
import { engineOf } from "../../test/support/sqlite-engine.ts";

let offset = 0;
const src = () => ({
  srcTopic: "room",
  srcPartition: 0,
  srcOffset: offset++,
  srcEpoch: 0,
  srcTimestamp: 0,
});

describe("roomState", () => {
  const { db } = openStore(":memory:");
  const rooms = roomRows(db);
  // room 1: every 10 s from 0 to 600 s; the window is the 5 min up to the newest reading
  for (let s = 0; s <= 600; s += 10)
    rooms.insertReading({ roomNo: 1, ts: s * 1000, temperature: s, humidity: 50, ...src() });
  rooms.insertReading({ roomNo: 2, ts: 5_000, temperature: 99, humidity: 1, ...src() });
  const state = roomState(db);

  test("the window's min, mean and max over the readings in the 5 min up to the newest", () => {
    const w = state.window(1, 300_000)!;
    expect(w.until).toBe(600_000);
    expect(w.count).toBe(31); // 300 s … 600 s
    expect(w.temperature).toEqual({ min: 300, mean: 450, max: 600 });
    expect(w.humidity).toEqual({ min: 50, mean: 50, max: 50 });
    expect(state.window(3, 300_000)).toBeUndefined();
  });

  test("the newest readings' times, newest first", () => {
    expect(state.recentTimes(1, 3)).toEqual([600_000, 590_000, 580_000]);
  });

  test("its rules' open alerts, not another room's", async () => {
    const alerts = new Alerts(engineOf(db), new EventBus(), () => 7);
    await alerts.raise("room-rule", "room 1 rule 4", "room 1 rule 4: temperature max 600 > 30");
    await alerts.raise("room-rule", "room 11 rule 4", "room 11 …");
    expect(state.activeAlerts(1).map((a) => a.message)).toEqual([
      "room 1 rule 4: temperature max 600 > 30",
    ]);
    await alerts.clear("room-rule", "room 1 rule 4");
    expect(state.activeAlerts(1)).toEqual([]);
  });
});
