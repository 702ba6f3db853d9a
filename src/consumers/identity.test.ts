/**
 * The sinks store a message once, however many Kafka records carry it: the same msg_id at two
 * offsets (a bridge re-send) is one row; the same msg_id from two devices is two.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { EventBus } from "../events/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { Alerts } from "../alerts/index.ts";
import { binsSink } from "./bins.ts";
import { DeviceClocks } from "./parse/device-time.ts";
import { imagesSink } from "./images.ts";
import { readingsSink } from "./readings.ts";
import type { SinkRecord } from "./run-sink.ts";
import { engineOf } from "../../test/support/sqlite-engine.ts";
import { handleInBatch } from "./run-sink.ts";

const dirs = tempDirs("iot-sink-id-");
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

let nextOffset = 0;
const rec = (
  topic: string,
  key: string | null,
  value: string | Buffer,
  headers: Record<string, string> = {},
): SinkRecord => ({
  topic,
  partition: 0,
  offset: nextOffset++,
  epoch: 0,
  key,
  value: Buffer.from(value),
  headers,
  timestamp: 1_800_000_000_000 + nextOffset,
});
// the server's clock where the records' times are (parse/device-time.ts believes times near it)
const clocks = new DeviceClocks({ now: () => 1_800_000_000_000 + 600_000 });
const rows = (s: Store, sql: string) => s.sqlite.query(sql).all() as Array<Record<string, unknown>>;
// a valid JPEG: SOI, a SOF0 of 32x16, EOI
const jpeg = (n: number) =>
  Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 16, 0, 32, 3, 1, 34, n, 2, 17, 1, 0xff, 0xd9]);

describe("readings sink", () => {
  test("the same msg_id at two offsets is one row; another device's same msg_id is its own", async () => {
    const { store, bus } = setup();
    const sink = readingsSink(engineOf(store.db), bus, clocks);
    const t = (device: string, id: string) =>
      rec("iot.telemetry", device, JSON.stringify({ ts: 1, temperature: 20 }), { msg_id: id });
    const events: unknown[] = [];
    bus.subscribe((e) => events.push(e));
    expect(await handleInBatch(sink, [t("pi-1", "m-1"), t("pi-1", "m-1")])).toEqual([]);
    expect(
      await handleInBatch(sink, [t("pi-1", "m-1"), t("pi-2", "m-1"), t("pi-1", "m-2")]),
    ).toEqual([]);
    expect(rows(store, "SELECT device_id, msg_id FROM readings ORDER BY id")).toEqual([
      { device_id: "pi-1", msg_id: "m-1" },
      { device_id: "pi-2", msg_id: "m-1" },
      { device_id: "pi-1", msg_id: "m-2" },
    ]);
    // the dashboard hears once of each batch that stored something, never of a redelivery
    expect(events).toHaveLength(2);
    expect(await handleInBatch(sink, [t("pi-1", "m-1"), t("pi-2", "m-1")])).toEqual([]);
    expect(events).toHaveLength(2);
  });

  test("the JSON field when there is no header (devices writing Kafka directly); else offsets", async () => {
    const { store, bus } = setup();
    const sink = readingsSink(engineOf(store.db), bus, clocks);
    const body = JSON.stringify({ msg_id: "j-1", ts: 1, temperature: 20 });
    await handleInBatch(sink, [rec("iot.telemetry", "pi", body), rec("iot.telemetry", "pi", body)]);
    // the header wins over the field
    await handleInBatch(sink, [rec("iot.telemetry", "pi", body, { msg_id: "h-1" })]);
    // no identity: each record is a reading (the seed's m_id "0" is no identity)
    const seed = JSON.stringify({ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "23.0" });
    const again = rec("temp_test", null, seed);
    await handleInBatch(sink, [rec("temp_test", null, seed), again]);
    await handleInBatch(sink, [again]); // a redelivery of the same record
    expect(rows(store, "SELECT device_id, msg_id FROM readings ORDER BY id")).toEqual([
      { device_id: "pi", msg_id: "j-1" },
      { device_id: "pi", msg_id: "h-1" },
      { device_id: "0", msg_id: null },
      { device_id: "0", msg_id: null },
    ]);
  });

  test("an unusable msg_id is a dead letter with the reason", async () => {
    const { store, bus } = setup();
    const sink = readingsSink(engineOf(store.db), bus, clocks);
    const body = JSON.stringify({ temperature: 1 });
    const rejected = await await handleInBatch(sink, [
      rec("iot.telemetry", "pi", body, { msg_id: "x".repeat(129) }),
      rec("iot.telemetry", "pi", JSON.stringify({ msg_id: 5, temperature: 1 })),
    ]);
    expect(rejected.map((r) => r.reason)).toEqual([
      "header msg_id must be a string of 1–128 characters",
      "msg_id must be a string of 1–128 characters",
    ]);
  });
});

describe("images sink", () => {
  test("a duplicate is one row and one file; captured_at is the image time", async () => {
    const { store, bus, dataDir } = setup();
    const sink = imagesSink(engineOf(store.db), dataDir, bus, clocks);
    const headers = { msg_id: "img-1", captured_at: "1799900000123" };
    await handleInBatch(sink, [rec("iot.image", "cam", jpeg(1), headers)]);
    await handleInBatch(sink, [
      rec("iot.image", "cam", jpeg(1), headers),
      rec("iot.image", "cam", jpeg(2)),
    ]);
    await handleInBatch(sink, [rec("iot.image", "cam-2", jpeg(3), headers)]);
    const stored = rows(store, "SELECT device_id, ts, msg_id, path FROM images ORDER BY id");
    expect(stored.map(({ path: _, ...r }) => r)).toEqual([
      { device_id: "cam", ts: 1_799_900_000_123, msg_id: "img-1" },
      { device_id: "cam", ts: expect.any(Number), msg_id: null },
      { device_id: "cam-2", ts: 1_799_900_000_123, msg_id: "img-1" },
    ]);
    // exactly the files the rows name, nothing left aside
    expect(readdirSync(join(dataDir, "images", "cam")).sort()).toEqual(
      stored
        .filter((r) => r.device_id === "cam")
        .map((r) => (r.path as string).split("/").at(-1)!)
        .sort(),
    );
    expect(readdirSync(join(dataDir, "images", "cam-2"))).toHaveLength(1);
  });

  test("captured_at outside 2000–2100 or not a number: the record's time", async () => {
    const { store, bus, dataDir } = setup();
    const sink = imagesSink(engineOf(store.db), dataDir, bus, clocks);
    const bad = ["0", "-5", "soon", "1700000000", "99999999999999999"];
    const recs = bad.map((c) => rec("iot.image", "cam", jpeg(4), { captured_at: c }));
    await handleInBatch(sink, recs);
    expect(rows(store, "SELECT ts FROM images ORDER BY id")).toEqual(
      recs.map((r) => ({ ts: r.timestamp })),
    );
  });

  test("a duplicate whose stored row lost its file (crash before the rename) restores it", async () => {
    const { store, bus, dataDir } = setup();
    const sink = imagesSink(engineOf(store.db), dataDir, bus, clocks);
    const headers = { msg_id: "a/b c" }; // unsafe characters: a hashed file name
    await handleInBatch(sink, [rec("iot.image", "cam", jpeg(5), headers)]);
    const [{ path }] = rows(store, "SELECT path FROM images") as [{ path: string }];
    expect(path).toMatch(/\/h-[0-9a-f]{64}\.jpg$/);
    unlinkSync(path);
    await handleInBatch(sink, [rec("iot.image", "cam", jpeg(5), headers)]);
    expect(readdirSync(join(dataDir, "images", "cam"))).toEqual([path.split("/").at(-1)!]);
    expect(rows(store, "SELECT count(*) AS n FROM images")).toEqual([{ n: 1 }]);
  });
});

describe("bins sink", () => {
  test("the same bridged message twice is stored once", async () => {
    const { store, bus } = setup();
    const sink = binsSink(engineOf(store.db), new Alerts(engineOf(store.db), bus), bus);
    const full = (id: string) =>
      rec("hello.world", null, "FULL 3 2026-11-22 10:00:00", { msg_id: id });
    await handleInBatch(sink, [full("b-1"), full("b-1")]);
    await handleInBatch(sink, [full("b-1"), full("b-2")]);
    expect(rows(store, "SELECT msg_id FROM bins ORDER BY id")).toEqual([
      { msg_id: "b-1" },
      { msg_id: "b-2" },
    ]);
    expect(rows(store, "SELECT kind, subject FROM alerts")).toEqual([
      { kind: "bin-full", subject: "bin 3" },
    ]);
  });
});
