/**
 * The dashboard bench's history: `days` of readings for the simulate fleet's rooms (every 10 s)
 * and two Pi devices (every 30 s), written straight into a fresh data dir with the store's
 * inserts (source keys unique per row), as the sinks write them; then rolled up hourly, as the
 * lifecycle of a server running for that month would have done it already.
 */
import { join } from "node:path";
import { openStore, schema } from "../src/store/index.ts";
import { readingRows } from "../src/store/readings.ts";
import { roomRows, type NewRoomReading } from "../src/store/rooms.ts";
import { preparedInsert, recordPlaceholders } from "../src/store/source.ts";
import { roomRule } from "../src/simulate/climate.ts";
import { rollUpBatch, rollupKinds } from "../src/store/rollups.ts";

const DAY = 86_400_000;
export const ROOMS = 4;
const ROOM_EVERY_MS = 10_000;
export const DEVICES = ["pi-bench-1", "pi-bench-2"];
const DEVICE_EVERY_MS = 30_000;

/** The month of history, written as the sinks write it (source keys unique per row). */
export function generateHistory(dataDir: string, days: number): { rows: number; seconds: number } {
  const t0 = performance.now();
  const { db, sqlite, close } = openStore(join(dataDir, "iot.db"));
  const insertRoom = preparedInsert<NewRoomReading>(
    db,
    db
      .insert(schema.roomReadings)
      .values(recordPlaceholders<keyof NewRoomReading>(["roomNo", "ts", "temperature", "humidity"]))
      .onConflictDoNothing(),
  );
  const readings = readingRows(db);
  const rooms = roomRows(db);
  const until = Date.now() - 60_000;
  const since = until - days * DAY;
  let offset = 0;
  let rows = 0;
  const src = (topic: string) => ({
    srcTopic: topic,
    srcPartition: 0,
    srcOffset: offset++,
    srcEpoch: 0,
    srcTimestamp: 0,
  });
  // a day's swing and some noise, so the chart has something to draw
  const climate = (room: number, ts: number) => {
    const day = Math.sin(((ts / DAY) % 1) * 2 * Math.PI);
    return {
      temperature: Math.round((22 + room * 0.3 + 2 * day + Math.random()) * 10) / 10,
      humidity: Math.round((45 - 5 * day + 3 * Math.random()) * 10) / 10,
    };
  };
  for (let room = 1; room <= ROOMS; room++) {
    sqlite.transaction(() => {
      for (let ts = since; ts < until; ts += ROOM_EVERY_MS) {
        insertRoom({ roomNo: room, ts, ...climate(room, ts), ...src("room") });
        rows++;
      }
      // the newest also sets the room's latest values
      rooms.insertReading({ roomNo: room, ts: until, ...climate(room, until), ...src("room") });
      rooms.saveRule(
        {
          roomNo: room,
          scheduleId: roomRule.scheduleId,
          condition: { temperature: roomRule.temperature, humidity: roomRule.humidity },
          state: "ok",
        },
        until,
      );
    })();
  }
  for (const deviceId of DEVICES) {
    sqlite.transaction(() => {
      for (let ts = since; ts < until; ts += DEVICE_EVERY_MS) {
        readings.insert({ deviceId, ts, ...climate(9, ts), msgId: null, ...src("temp_test") });
        rows++;
      }
    })();
  }
  for (const kind of rollupKinds) while (rollUpBatch(db, kind, 50_000) > 0);
  close();
  return { rows, seconds: (performance.now() - t0) / 1000 };
}
