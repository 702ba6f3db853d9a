/**
 * The sinks on the async store (readings, devices, bins with their alerts, images with their
 * files), through the runner's batch
 * transaction, on both engines: a redelivered batch is stored once, a bad record is rejected
 * with its reason while the rest is stored, a failing batch leaves nothing.
 */
import { describe, expect, test } from "bun:test";
import { useStoreEngines } from "../../test/support/store-engines.ts";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { Alerts } from "../alerts/index.ts";
import { EventBus } from "../events/index.ts";
import { binsSink } from "./bins.ts";
import { imagesSink } from "./images.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import { devicesSink } from "./devices.ts";
import { readingsSink } from "./readings.ts";
import { handleInBatch, type SinkRecord } from "./run-sink.ts";

const engines: Record<string, () => Promise<StoreEngine>> = useStoreEngines("iot-engine-sinks-", {
  pool: 2,
});

const T = 1_800_000_000_000;
const dirs = tempDirs("iot-engine-sinks-files-");
// a valid JPEG: SOI, a SOF0 of 32x16, EOI
const jpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 16, 0, 32, 3, 1, 34, 1, 2, 17, 1, 0xff, 0xd9,
]);
const record = (topic: string, offset: number, key: string | null, value: object | string) =>
  ({
    topic,
    partition: 0,
    offset,
    epoch: 0,
    key,
    value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
    headers: {},
    timestamp: T + offset,
  }) satisfies SinkRecord;

for (const [name, open] of Object.entries(engines)) {
  describe(`sinks on the async store: ${name}`, () => {
    test("readings: a redelivered batch once; a bad record rejected, the rest stored", async () => {
      const engine = await open();
      try {
        const sink = readingsSink(engine, new EventBus());
        const batch = [
          record("iot.telemetry", 0, "pi", { ts: T, temperature: 21, msg_id: "a" }),
          record("iot.telemetry", 1, "pi", "not json"),
          record("iot.telemetry", 2, "pi", { ts: T + 5, temperature: 22, msg_id: "b" }),
          // the same message at another offset
          record("iot.telemetry", 3, "pi", { ts: T, temperature: 21, msg_id: "a" }),
        ];
        const rejected = await handleInBatch(sink, batch);
        expect(rejected.map((r) => r.record.offset)).toEqual([1]);
        expect(rejected[0]!.reason).not.toBe("");
        expect(await handleInBatch(sink, batch)).toHaveLength(1); // redelivered
        const rows = await engine.read((q) => q.queries.readings("pi", 10));
        expect(rows.map((r) => [r.ts, r.msg_id])).toEqual([
          [T + 5, "b"],
          [T, "a"],
        ]);
        const [device] = await engine.read((q) => q.queries.devices());
        expect(device).toMatchObject({ id: "pi", last_seen: T + 5, online: true });
      } finally {
        await engine.close();
      }
    });

    test("devices: a coffee report keeps its device row and its trail", async () => {
      const engine = await open();
      try {
        const sink = devicesSink(engine, new EventBus());
        const coffee = (offset: number, x: number) =>
          record("coffee", offset, null, { id: "3DF92-192", x, y: 2, status: "Active" });
        expect(await handleInBatch(sink, [coffee(0, 1), coffee(1, 2)])).toEqual([]);
        const trails = await engine.transaction((tx) => tx.positions.trails(["3DF92-192"]));
        expect(trails.get("3DF92-192")!.map((p) => p.x)).toEqual([1, 2]);
        const [device] = await engine.read((q) => q.queries.devices());
        expect(device).toMatchObject({ id: "3DF92-192", kind: "coffee", x: 2, status: "Active" });
      } finally {
        await engine.close();
      }
    });

    test("bins: FULL raises the bin's alert and queues its event, a lower level clears it; a redelivery adds nothing", async () => {
      const engine = await open();
      try {
        const bus = new EventBus();
        const sink = binsSink(engine, new Alerts(engine, bus), bus);
        const full = [record("hello/world", 0, null, "FULL 7 2026-12-01 08:00:00")];
        expect(await handleInBatch(sink, full)).toEqual([]);
        expect(await handleInBatch(sink, full)).toEqual([]); // redelivered
        const open1 = await engine.read((q) => q.queries.alerts("open", 10));
        expect(open1.map((a) => [a.kind, a.subject])).toEqual([["bin-full", "bin 7"]]);
        await handleInBatch(sink, [record("hello/world", 1, null, "20 7 2026-12-01 08:05:00")]);
        expect(await engine.read((q) => q.queries.alerts("active", 10))).toEqual([]);
        const events = await engine.transaction((tx) => tx.notify.pending(10));
        expect(events.map((e) => e.event)).toEqual(["raised", "cleared"]);
        expect((await engine.read((q) => q.queries.latestBins())).length).toBe(1);
      } finally {
        await engine.close();
      }
    });

    test("images: the row and its file once; a duplicate message leaves no file behind", async () => {
      const engine = await open();
      const dataDir = dirs.make();
      try {
        const sink = imagesSink(engine, dataDir, new EventBus());
        const shot = (offset: number) => ({
          ...record("iot.image", offset, "cam", ""),
          value: jpeg,
          headers: { msg_id: "shot-1" },
        });
        expect(await handleInBatch(sink, [shot(0), shot(1)])).toEqual([]);
        expect(await handleInBatch(sink, [shot(0)])).toEqual([]); // redelivered
        expect(readdirSync(join(dataDir, "images", "cam"))).toEqual(["m-shot-1.jpg"]);
        const path = await engine.transaction((tx) =>
          tx.images.storedPath(
            { srcTopic: "x", srcPartition: 0, srcOffset: -1, srcEpoch: 0, srcTimestamp: 0 },
            "cam",
            "shot-1",
          ),
        );
        expect(path).toBe(join(dataDir, "images", "cam", "m-shot-1.jpg"));
        expect(existsSync(path!)).toBe(true);
      } finally {
        await engine.close();
        dirs.cleanup();
      }
    });
  });
}
