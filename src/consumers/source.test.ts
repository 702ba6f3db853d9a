/**
 * A Kafka offset names a record only within one incarnation of its log: after the topic is
 * deleted and created again, or the log is cut back, new records get offsets that already have
 * rows. The sinks key on (topic, partition, offset, leader epoch, timestamp): those new records
 * are stored, while a true redelivery (the same stored batch) is still absorbed.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { EventBus } from "../events/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { Alerts } from "../alerts/index.ts";
import { binsSink } from "./bins.ts";
import { imagesSink } from "./images.ts";
import { presenceSink } from "./presence/sink.ts";
import { defaultPresence } from "./presence/model.ts";
import { readingsSink } from "./readings.ts";
import { roomsSink } from "./rooms/sink.ts";
import { defaultRuleOptions } from "./rooms/rule-engine.ts";
import type { SinkRecord } from "./run-sink.ts";
import { engineOf } from "../../test/support/sqlite-engine.ts";
import { handleInBatch } from "./run-sink.ts";

const dirs = tempDirs("iot-sink-src-");
const stores: Store[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.cleanup();
});
const setup = () => {
  const dataDir = dirs.make();
  const store = openStore(join(dataDir, "iot.db"));
  stores.push(store);
  return { dataDir, store, bus: new EventBus() };
};
const count = (s: Store, table: string) =>
  (s.sqlite.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const at = (
  topic: string,
  offset: number,
  epoch: number,
  timestamp: number,
  value: string | Buffer,
  key: string | null = null,
  headers: Record<string, string> = {},
): SinkRecord => ({
  topic,
  partition: 0,
  offset,
  epoch,
  key,
  value: Buffer.from(value),
  headers,
  timestamp,
});
const t0 = 1_800_000_000_000;

describe("a used offset in a new incarnation of the log", () => {
  test("readings: stored under a new epoch or timestamp; a redelivery is not", async () => {
    const { store, bus } = setup();
    const sink = readingsSink(engineOf(store.db), bus);
    const reading = (offset: number, epoch: number, ts: number, msgId?: string) =>
      at(
        "temp_test",
        offset,
        epoch,
        ts,
        JSON.stringify({ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "23.0" }),
        null,
        msgId ? { msg_id: msgId } : {},
      );
    await handleInBatch(sink, [reading(0, 1, t0), reading(1, 1, t0 + 1)]);
    await handleInBatch(sink, [reading(0, 1, t0), reading(1, 1, t0 + 1)]); // redelivered
    expect(count(store, "readings")).toBe(2);
    // the topic deleted and created again (our broker: a new epoch)
    await handleInBatch(sink, [reading(0, 2, t0 + 10), reading(1, 2, t0 + 11)]);
    // a Kafka cluster: epochs start at 0 again, the timestamps differ
    await handleInBatch(sink, [reading(0, 1, t0 + 20)]);
    expect(count(store, "readings")).toBe(5);
    // with msg_ids: a new message at a used offset is stored, the same message is not
    await handleInBatch(sink, [reading(5, 3, t0 + 30, "a"), reading(6, 3, t0 + 31, "b")]);
    await handleInBatch(sink, [reading(5, 4, t0 + 40, "c"), reading(6, 4, t0 + 41, "b")]);
    expect(count(store, "readings")).toBe(8);
  });

  test("images, bins, entrance events and room readings too", async () => {
    const { store, bus, dataDir } = setup();
    const alerts = new Alerts(engineOf(store.db), bus);
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 16, 0, 32, 3, 1, 34, 1, 2, 17, 1, 0xff, 0xd9,
    ]);
    const image = (epoch: number, ts: number) =>
      at(
        "imgtest",
        0,
        epoch,
        ts,
        JSON.stringify({
          m_id: "cam",
          datetime: "2026-11-22 10:00:00",
          photo: jpeg.toString("base64"),
        }),
      );
    const images = imagesSink(engineOf(store.db), dataDir, bus);
    const bins = binsSink(engineOf(store.db), alerts, bus);
    const presence = presenceSink(engineOf(store.db), alerts, bus, defaultPresence);
    const rooms = roomsSink(engineOf(store.db), alerts, bus, defaultRuleOptions);
    const entrance = (epoch: number, ts: number) =>
      at("entrance", 0, epoch, ts, JSON.stringify({ record_type: "in", value: ts }), "jane");
    const room = (epoch: number, ts: number) =>
      at(
        "room",
        0,
        epoch,
        ts,
        JSON.stringify({ room_no: 1, status: { humidity: 10, temperature: 30 } }),
        "1",
      );
    const bin = (epoch: number, ts: number) =>
      at("hello.world", 0, epoch, ts, "50 1 2026-11-22 10:00:00");
    for (const [epoch, ts] of [
      [1, t0],
      [1, t0], // redelivered
      [2, t0 + 5], // a used offset, new incarnation
    ] as const) {
      await await handleInBatch(images, [image(epoch, ts)]);
      await handleInBatch(bins, [bin(epoch, ts)]);
      await handleInBatch(presence.sink, [entrance(epoch, ts)]);
      await handleInBatch(rooms, [room(epoch, ts)]);
    }
    expect(count(store, "images")).toBe(2);
    expect(count(store, "bins")).toBe(2);
    expect(count(store, "entrance_events")).toBe(2);
    expect(count(store, "room_readings")).toBe(2);
  });
});
