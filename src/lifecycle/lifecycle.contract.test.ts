/**
 * The data lifecycle on both engines with a fake clock: each kind kept one ms before its
 * retention and gone at it (raw readings only once rolled up, the roll-ups outliving them, image
 * files with their rows, open alerts never); rows out of time order; the image size cap. On
 * PostgreSQL, one pass at a time across processes (an advisory lock).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { onFresh, sourceKeys, useStoreEngines } from "../../test/support/store-engines.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { silentLogger } from "../core/log/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { UsageKind } from "../store/usage.ts";
import { DAY_MS, keepForever, Lifecycle, type Retention } from "./index.ts";

const engines = useStoreEngines("iot-lifecycle-contract-", { pool: 4 });
const dirs = tempDirs("iot-lifecycle-contract-files-");

const T0 = Date.UTC(2026, 0, 1, 10); // an hour's start: a roll-up's age counts from its hour
const src = sourceKeys("t", T0);

const lifecycle = (
  engine: StoreEngine,
  dataDir: string,
  clock: () => number,
  r: Partial<Retention>,
) =>
  new Lifecycle({
    store: engine.lifecycle,
    dataDir,
    clock,
    log: silentLogger,
    retention: { ...keepForever, ...r },
    batchRows: 3,
    pauseMs: 0,
  });
const rows = async (engine: StoreEngine, kind: UsageKind) =>
  (await engine.lifecycle.measure(0)).kinds[kind].rows;

async function image(engine: StoreEngine, dataDir: string, name: string, ts: number) {
  const dir = join(dataDir, "images", "cam");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.jpg`);
  writeFileSync(path, Buffer.alloc(1000, 1));
  await engine.transaction((tx) =>
    tx.images.insert({
      deviceId: "cam",
      ts,
      path,
      bytes: 1000,
      width: null,
      height: null,
      msgId: null,
      ...src(),
    }),
  );
  return path;
}

for (const [name, open] of Object.entries(engines)) {
  describe(`lifecycle: ${name}`, () => {
    const withEngine = (fn: (engine: StoreEngine, dataDir: string) => Promise<void>) =>
      onFresh(open)((engine) => fn(engine, dirs.make()));

    test(
      "each kind is kept one ms before its age and removed at it; open alerts stay",
      withEngine(async (engine, dataDir) => {
        await engine.transaction(async (tx) => {
          await tx.readings.insert({
            deviceId: "d1",
            ts: T0,
            temperature: 21,
            humidity: 10.5,
            msgId: null,
            ...src(),
          });
          await tx.rooms.insertReading({
            roomNo: 1,
            ts: T0,
            temperature: 20,
            humidity: 40,
            ...src(),
          });
          await tx.bins.insert({
            binCount: 3,
            binLevel: "40",
            full: false,
            mTime: "2026-01-01 10:00:00",
            ts: T0,
            msgId: null,
            ...src(),
          });
          await tx.presence.insertEvent({ name: "jane", recordType: "in", ts: T0, ...src() });
          await tx.alerts.clear(
            await tx.alerts.open("bin", "3", "full", "warning", T0 - 50 * DAY_MS),
            T0,
          );
          await tx.alerts.open("bin", "4", "full", "warning", T0 - 900 * DAY_MS);
          const ack = await tx.alerts.open("bin", "5", "full", "warning", T0 - 900 * DAY_MS);
          await tx.alerts.setState(ack, "acknowledged", T0 - 900 * DAY_MS);
        });
        const imagePath = await image(engine, dataDir, "a", T0);
        const retention: Retention = {
          images: 14 * DAY_MS,
          readings: 30 * DAY_MS,
          alerts: 180 * DAY_MS,
          bins: 300 * DAY_MS,
          presence: 365 * DAY_MS,
          rollups: 730 * DAY_MS,
          imagesMaxBytes: 0,
        };
        const present: Record<string, () => Promise<boolean>> = {
          images: async () => (await rows(engine, "images")) === 1 && existsSync(imagePath),
          readings: async () =>
            (await rows(engine, "readings")) + (await rows(engine, "rooms")) === 2,
          alerts: async () => (await engine.read((q) => q.api.countAlerts("cleared"))) === 1,
          bins: async () => (await rows(engine, "bins")) === 1,
          presence: async () => (await rows(engine, "presence")) === 1,
          rollups: async () => (await rows(engine, "rollups")) === 4, // 2 series × 2 metrics
        };
        let now = T0;
        const lc = lifecycle(engine, dataDir, () => now, retention);
        const order = Object.keys(present);
        for (const [i, kind] of order.entries()) {
          const age = retention[kind as keyof Retention];
          now = T0 + age - 1;
          expect(await lc.runOnce()).toBeDefined();
          for (const k of order.slice(i)) expect([k, await present[k]!()]).toEqual([k, true]);
          now = T0 + age;
          await lc.runOnce();
          expect([kind, await present[kind]!()]).toEqual([kind, false]);
          for (const k of order.slice(i + 1)) expect([k, await present[k]!()]).toEqual([k, true]);
        }
        expect(
          (await engine.read((q) => q.queries.alerts(undefined, 9))).map((a) => a.state).sort(),
        ).toEqual(["acknowledged", "open"]);
        const usage = await engine.lifecycle.measure(now);
        expect(usage.dbBytes).toBeGreaterThan(0);
        expect(usage.kinds.alerts).toMatchObject({ rows: 2, fileBytes: 0 });
        expect(usage.kinds.alerts.dbBytes).toBeGreaterThan(0);
      }),
    );

    test(
      "roll-ups equal the raw aggregates, each row counted once, and outlive the raw rows",
      withEngine(async (engine, dataDir) => {
        await engine.transaction(async (tx) => {
          for (let i = 0; i < 40; i++)
            await tx.readings.insert({
              deviceId: `d${i % 2}`,
              ts: T0 + (i % 4) * 900_000 + Math.floor(i / 4) * 3_600_000,
              temperature: i % 7 === 0 ? null : 20 + (i % 5) * 0.5,
              humidity: 40,
              msgId: null,
              ...src(),
            });
        });
        const lc = lifecycle(engine, dataDir, () => T0 + 40 * DAY_MS, { readings: 30 * DAY_MS });
        const before = await engine.read((q) =>
          q.api.history({ kind: "readings", bucket: "1h", limit: 100 }),
        );
        const report = await lc.runOnce();
        expect(report?.rolledUp).toBe(40);
        expect(report?.pruned.readings).toBe(40);
        expect(await rows(engine, "readings")).toBe(0);
        // another pass adds nothing to the roll-ups
        expect((await lc.runOnce())?.rolledUp).toBe(0);
        expect(await rows(engine, "rollups")).toBe(2 * 10 * 2); // devices × hours × metrics
        expect(before.rows).toHaveLength(20);
      }),
    );

    test(
      "rows out of time order go too; images over the cap go oldest first, file and row",
      withEngine(async (engine, dataDir) => {
        const now = T0 + 30 * DAY_MS;
        await engine.transaction(async (tx) => {
          const r = (deviceId: string, ts: number, temperature: number) =>
            tx.bins.insert({
              binCount: temperature,
              binLevel: deviceId,
              full: false,
              mTime: "x",
              ts,
              msgId: null,
              ...src(),
            });
          await r("ahead", now, 1); // the first id is young: the id-order walk stops at once
          for (let i = 0; i < 10; i++) await r(`d${i % 2}`, T0 - i, 2);
          await r("d0", now - 30 * DAY_MS + 1, 3); // one ms young enough
        });
        const paths: string[] = [];
        for (let i = 0; i < 10; i++)
          paths.push(await image(engine, dataDir, `${i}`, T0 + ((i * 7) % 10) * 1000));
        await lifecycle(engine, dataDir, () => now, {
          bins: 30 * DAY_MS,
          imagesMaxBytes: 4500,
        }).runOnce();
        const bins = await engine.read((q) => q.api.bins(99));
        expect(bins.map((b) => [b.bin_level, b.bin_count]).sort()).toEqual([
          ["ahead", 1],
          ["d0", 3],
        ]);
        const left = await engine.read((q) => q.api.images("cam", 99));
        expect(left.map((r) => r.ts - T0).sort()).toEqual([6000, 7000, 8000, 9000]);
        const kept = await Promise.all(left.map((r) => engine.read((q) => q.api.imagePath(r.id))));
        for (const p of paths) expect(existsSync(p)).toBe(kept.includes(p));
      }),
    );

    if (name === "postgres")
      test(
        "one pass at a time across processes: a pass finding the fleet's lock held skips",
        withEngine(async (engine, dataDir) => {
          const lc = lifecycle(engine, dataDir, () => T0, {});
          // another process's pass holds the lock (another pooled connection here)
          const inner = await engine.lifecycle.exclusive(async () => lc.runOnce());
          expect(inner).toBeUndefined();
          expect(await lc.runOnce()).toBeDefined(); // and runs once it is free
        }),
      );
  });
}
