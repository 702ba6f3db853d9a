/**
 * The store's contract: every operation of the async face (types.ts) against SQLite (a real
 * file) and a real PostgreSQL (test/support/postgres.ts), with the same expectations — the
 * sinks' idempotency keys above all. A fresh database per test.
 */
import { describe, expect, test } from "bun:test";
import { onFresh, sourceKeys, useStoreEngines } from "../../../test/support/store-engines.ts";
import type { NewReading } from "../readings.ts";
import { TransactionCrossedTurn, type StoreEngine } from "./index.ts";

const engines: Record<string, () => Promise<StoreEngine>> = useStoreEngines("iot-contract-", {
  pool: 4,
});

/** a time past 2^31 ms, as every real timestamp is */
const T = 1_764_000_000_000;
const src = sourceKeys("iot.telemetry", T);
const reading = (deviceId: string, ts: number, over: Partial<NewReading> = {}): NewReading => ({
  deviceId,
  ts,
  temperature: 21.5,
  humidity: 40,
  msgId: null,
  ...src(),
  ...over,
});

for (const [name, open] of Object.entries(engines)) {
  describe(`store contract: ${name}`, () => {
    const withEngine = onFresh(open);

    test(
      "readings: a redelivered record and a repeated msg_id are stored once",
      withEngine(async (engine) => {
        const first = reading("d1", T, { msgId: "m-1" });
        const results = await engine.transaction(async (tx) => [
          await tx.readings.insert(first),
          // the same Kafka record again
          await tx.readings.insert({ ...first }),
          // the same message at another offset
          await tx.readings.insert({ ...first, ...src() }),
          // the same msg_id from another device is another message
          await tx.readings.insert({ ...first, ...src(), deviceId: "d2" }),
          // no msg_id: only the record identifies it
          await tx.readings.insert(reading("d1", T + 1)),
          await tx.readings.insert(reading("d1", T + 2)),
          // a new record at a used offset (the log cut back: another epoch) is not a redelivery
          await tx.readings.insert({
            ...reading("d1", T + 3),
            srcOffset: first.srcOffset,
            srcEpoch: 1,
          }),
        ]);
        expect(results).toEqual([true, false, false, true, true, true, true]);
        const rows = await engine.read((q) => q.queries.readings("d1", 10));
        expect(rows.map((r) => [r.ts, r.msg_id])).toEqual([
          [T + 3, null],
          [T + 2, null],
          [T + 1, null],
          [T, "m-1"],
        ]);
        expect(typeof rows[0]!.id).toBe("number");
        expect(rows[0]).toMatchObject({ device_id: "d1", temperature: 21.5, humidity: 40 });
        expect(await engine.read((q) => q.queries.readings(undefined, 2))).toHaveLength(2);
      }),
    );

    test(
      "a transaction that throws stores nothing",
      withEngine(async (engine) => {
        await expect(
          engine.transaction(async (tx) => {
            await tx.readings.insert(reading("d1", T));
            await tx.devices.touch("d1", T);
            throw new Error("sink failed");
          }),
        ).rejects.toThrow("sink failed");
        expect(await engine.read((q) => q.queries.readings(undefined, 10))).toEqual([]);
        expect(await engine.read((q) => q.queries.devices())).toEqual([]);
      }),
    );

    test(
      "concurrent transactions each land whole, none interleaved (one batch's redelivery at once)",
      withEngine(async (engine) => {
        const batch = Array.from({ length: 10 }, (_, i) => reading(`d${i % 3}`, T + i));
        const stored = await Promise.all(
          Array.from({ length: 8 }, () =>
            engine.transaction(async (tx) => {
              let n = 0;
              for (const r of batch) if (await tx.readings.insert(r)) n++;
              for (const r of batch) await tx.devices.touch(r.deviceId, r.ts);
              return n;
            }),
          ),
        );
        // whichever ran first stored the whole batch; the others found every row there
        expect(stored.sort((a, b) => b - a)).toEqual([10, 0, 0, 0, 0, 0, 0, 0]);
        expect(await engine.read((q) => q.queries.readings(undefined, 100))).toHaveLength(10);
      }),
    );

    test(
      "latest readings: each device's newest (by time, then id), devices in order",
      withEngine(async (engine) => {
        await engine.transaction(async (tx) => {
          await tx.readings.insert(reading("b", T + 5, { temperature: 5 }));
          await tx.readings.insert(reading("a", T + 9, { temperature: 9 }));
          await tx.readings.insert(reading("a", T + 1, { temperature: 1 }));
          await tx.readings.insert(reading("b", T + 5, { temperature: 6, humidity: null }));
          await tx.readings.insert(reading("c", T, { temperature: null }));
        });
        expect(await engine.read((q) => q.queries.latestReadings())).toEqual([
          { device_id: "a", ts: T + 9, temperature: 9, humidity: 40 },
          { device_id: "b", ts: T + 5, temperature: 6, humidity: null },
          { device_id: "c", ts: T, temperature: null, humidity: 40 },
        ]);
      }),
    );

    test(
      "latest readings stop at 100 devices",
      withEngine(async (engine) => {
        await engine.transaction(async (tx) => {
          for (let i = 0; i < 105; i++)
            await tx.readings.insert(reading(`dev-${String(i).padStart(3, "0")}`, T + i));
        });
        const rows = await engine.read((q) => q.queries.latestReadings());
        expect(rows).toHaveLength(100);
        expect(rows[99]!.device_id).toBe("dev-099");
      }),
    );

    test(
      "images: once per record or msg_id; a duplicate finds the stored row's path",
      withEngine(async (engine) => {
        const key = src({ srcTopic: "iot.image" });
        const image = {
          deviceId: "cam",
          ts: T,
          path: "images/cam/a.jpg",
          bytes: 1234,
          width: 640,
          height: 480,
          msgId: "img-1",
          ...key,
        };
        const [id, again, sameMessage] = await engine.transaction(async (tx) => [
          await tx.images.insert(image),
          await tx.images.insert({ ...image, path: "images/cam/b.jpg" }),
          await tx.images.insert({ ...image, ...src({ srcTopic: "iot.image" }), path: "x" }),
        ]);
        expect(typeof id).toBe("number");
        expect(again).toBeUndefined();
        expect(sameMessage).toBeUndefined();
        await engine.read(async () => {});
        const paths = await engine.transaction(async (tx) => [
          await tx.images.storedPath(key, "other", null),
          await tx.images.storedPath(src(), "cam", "img-1"),
          await tx.images.storedPath(src(), "cam", "img-2"),
        ]);
        expect(paths).toEqual(["images/cam/a.jpg", "images/cam/a.jpg", undefined]);
      }),
    );

    test(
      "bins: once per record or msg_id; each bin's newest level, FULL as a boolean",
      withEngine(async (engine) => {
        const bin = (binCount: number, level: string, ts: number, msgId: string | null) => ({
          binCount,
          binLevel: level,
          full: level === "FULL",
          mTime: "2026-12-02 10:00:00",
          ts,
          msgId,
          ...src({ srcTopic: "hello/world" }),
        });
        const first = bin(1, "40", T, "b-1");
        const results = await engine.transaction(async (tx) => [
          await tx.bins.insert(first),
          await tx.bins.insert({ ...first }),
          await tx.bins.insert({ ...first, ...src() }),
          await tx.bins.insert(bin(1, "FULL", T + 1, "b-2")),
          await tx.bins.insert(bin(2, "10", T, null)),
        ]);
        expect(results).toEqual([true, false, false, true, true]);
        expect(await engine.read((q) => q.queries.latestBins())).toEqual([
          { bin_count: 1, bin_level: "FULL", full: true, m_time: "2026-12-02 10:00:00" },
          { bin_count: 2, bin_level: "10", full: false, m_time: "2026-12-02 10:00:00" },
        ]);
      }),
    );

    test(
      "presence: an entrance event once per record; people saved and read back",
      withEngine(async (engine) => {
        const event = {
          name: "jane",
          recordType: "in" as const,
          ts: T,
          ...src({ srcTopic: "entrance" }),
        };
        const person = {
          name: "jane",
          state: "in" as const,
          since: T,
          day: "2026-12-02",
          awayMsToday: 3_600_000,
          flagged: false,
        };
        const results = await engine.transaction(async (tx) => {
          const r = [
            await tx.presence.insertEvent(event),
            await tx.presence.insertEvent({ ...event }),
          ];
          await tx.presence.savePerson(person);
          await tx.presence.savePerson({ ...person, state: "out", flagged: true });
          return r;
        });
        expect(results).toEqual([true, false]);
        expect(await engine.transaction((tx) => tx.presence.people())).toEqual([
          { ...person, state: "out", flagged: true },
        ]);
      }),
    );

    test(
      "rooms: a reading once per record, made the room's latest; its history since a time",
      withEngine(async (engine) => {
        const room = (roomNo: number, ts: number, temperature: number) => ({
          roomNo,
          ts,
          temperature,
          humidity: 50,
          ...src({ srcTopic: "room", srcPartition: roomNo % 2 }),
        });
        const first = room(1, T, 20);
        const results = await engine.transaction(async (tx) => [
          await tx.rooms.insertReading(first),
          await tx.rooms.insertReading(room(1, T + 10, 22)),
          // a redelivery of the first does not make it the latest again
          await tx.rooms.insertReading({ ...first }),
          await tx.rooms.insertReading(room(2, T, 18.5)),
        ]);
        expect(results).toEqual([true, true, false, true]);
        expect(await engine.read((q) => q.queries.rooms())).toEqual([
          { room_no: 1, temperature: 22, humidity: 50, updated_at: T + 10 },
          { room_no: 2, temperature: 18.5, humidity: 50, updated_at: T },
        ]);
        expect(await engine.read((q) => q.queries.roomHistory(1, T))).toEqual([
          { ts: T + 10, temperature: 22, humidity: 50 },
        ]);
        expect(await engine.read((q) => q.queries.roomHistory(1, T - 1))).toHaveLength(2);
      }),
    );

    test(
      "devices: last seen only moves forward; a report keeps what it leaves out",
      withEngine(async (engine) => {
        await engine.transaction(async (tx) => {
          await tx.devices.touch("d1", T + 10);
          await tx.devices.touch("d1", T); // an older record, delivered late
          await tx.devices.report({
            id: "c1",
            kind: "coffee",
            online: true,
            ts: T,
            x: 1,
            y: 2,
            status: "Active",
          });
          await tx.devices.report({ id: "c1", kind: "coffee", online: false, ts: T - 5 });
          await tx.devices.desire("c1", "Inactive");
          await tx.devices.desire("new", "Active");
        });
        expect(await engine.read((q) => q.queries.devices())).toEqual([
          {
            id: "c1",
            name: null,
            kind: "coffee",
            x: 1,
            y: 2,
            status: "Active",
            desired_status: "Inactive",
            online: false,
            last_seen: T,
          },
          {
            id: "d1",
            name: null,
            kind: "device",
            x: null,
            y: null,
            status: null,
            desired_status: null,
            online: true,
            last_seen: T + 10,
          },
          {
            id: "new",
            name: null,
            kind: "device",
            x: null,
            y: null,
            status: null,
            desired_status: "Active",
            online: false,
            last_seen: null,
          },
        ]);
      }),
    );

    test(
      "alerts: raised, found active, acknowledged, cleared once; listed by state, newest first",
      withEngine(async (engine) => {
        const [a, b] = await engine.transaction(async (tx) => [
          await tx.alerts.open("bin-full", "bin 1", "bin 1 is FULL", "warning", T),
          await tx.alerts.open("room-rule", "room 2", "too hot", "critical", T + 1),
        ]);
        const active = await engine.transaction((tx) => tx.alerts.active("bin-full", "bin 1"));
        expect(active).toMatchObject({
          id: a,
          state: "open",
          severity: "warning",
          createdAt: T,
          clearedAt: null,
        });
        const acked = await engine.transaction((tx) =>
          tx.alerts.setState(a!, "acknowledged", T + 2),
        );
        expect(acked).toMatchObject({ id: a, state: "acknowledged", clearedAt: null });
        await engine.transaction((tx) => tx.alerts.clear(b!, T + 3));
        // a cleared alert is not changed again, and is no longer active
        expect(
          await engine.transaction((tx) => tx.alerts.setState(b!, "acknowledged", T + 4)),
        ).toBeUndefined();
        expect(
          await engine.transaction((tx) => tx.alerts.active("room-rule", "room 2")),
        ).toBeUndefined();
        const list = (state?: "open" | "acknowledged" | "cleared" | "active") =>
          engine.read((q) => q.queries.alerts(state, 10));
        expect((await list()).map((r) => r.id)).toEqual([b, a]);
        expect(await list("active")).toEqual([
          {
            id: a!,
            kind: "bin-full",
            subject: "bin 1",
            message: "bin 1 is FULL",
            severity: "warning",
            state: "acknowledged",
            created_at: T,
            cleared_at: null,
          },
        ]);
        expect((await list("cleared")).map((r) => [r.id, r.cleared_at])).toEqual([[b, T + 3]]);
        expect(await list("open")).toEqual([]);
      }),
    );

    test(
      "room rules: saved, state kept on a new condition, state set, deleted",
      withEngine(async (engine) => {
        const condition = { temperature: { agg_type: "max", up: 25, down: null } };
        await engine.transaction(async (tx) => {
          await tx.rooms.saveRule({ roomNo: 1, scheduleId: 1, condition, state: "ok" }, T);
          await tx.rooms.saveRule({ roomNo: 1, scheduleId: 2, condition, state: "alert" }, T);
          await tx.rooms.setRuleState({ roomNo: 1, scheduleId: 1 }, "alert", T + 1);
          // an update takes the condition, keeps the state
          const newer = { humidity: { agg_type: "mean", up: null, down: 30 } };
          await tx.rooms.saveRule(
            { roomNo: 1, scheduleId: 1, condition: newer, state: "ok" },
            T + 2,
          );
          await tx.rooms.deleteRule({ roomNo: 1, scheduleId: 2 });
        });
        expect(await engine.transaction((tx) => tx.rooms.rules())).toEqual([
          {
            roomNo: 1,
            scheduleId: 1,
            condition: { humidity: { agg_type: "mean", up: null, down: 30 } },
            state: "alert",
          },
        ]);
      }),
    );

    test(
      "device positions: a trail of the newest 8 per device, oldest first",
      withEngine(async (engine) => {
        await engine.transaction(async (tx) => {
          for (let i = 0; i < 12; i++) await tx.positions.add("c1", { ts: T + i, x: i, y: -i });
          await tx.positions.add("c2", { ts: T, x: 0.5, y: 1.5 });
        });
        const all = await engine.transaction((tx) => tx.positions.trails());
        expect(all.get("c1")!.map((p) => p.ts)).toEqual(
          [4, 5, 6, 7, 8, 9, 10, 11].map((i) => T + i),
        );
        expect(all.get("c1")![0]).toEqual({ ts: T + 4, x: 4, y: -4 });
        const one = await engine.transaction((tx) => tx.positions.trails(["c2"]));
        expect([...one.entries()]).toEqual([["c2", [{ ts: T, x: 0.5, y: 1.5 }]]]);
      }),
    );

    test(
      "an alert raised with its notification in one transaction; both or neither",
      withEngine(async (engine) => {
        const id = await engine.transaction(async (tx) => {
          const id = await tx.alerts.open("bin-full", "bin 3", "bin 3 is FULL", "warning", T);
          await tx.notify.enqueue(id, "raised", T);
          return id;
        });
        await expect(
          engine.transaction(async (tx) => {
            const other = await tx.alerts.open("bin-full", "bin 4", "bin 4 is FULL", "warning", T);
            await tx.notify.enqueue(other, "raised", T);
            throw new Error("crash before commit");
          }),
        ).rejects.toThrow("crash before commit");
        expect(await engine.transaction((tx) => tx.notify.pending(10))).toEqual([
          {
            id: expect.any(Number),
            alertId: id,
            event: "raised",
            at: T,
            kind: "bin-full",
            subject: "bin 3",
            message: "bin 3 is FULL",
            severity: "warning",
          },
        ]);
        expect(await engine.read((q) => q.queries.alerts(undefined, 10))).toHaveLength(1);
      }),
    );

    test(
      "tokens and sessions: listed without hashes, a live session has its token's role, revoking ends its sessions",
      withEngine(async (engine) => {
        const token = (
          id: string,
          kind: "http" | "device",
          role: "admin" | "reader" | "device",
        ) => ({
          id,
          kind,
          subject: `${id}-subject`,
          role,
          hash: `hash-${id}`,
          createdAt: T,
        });
        await engine.transaction(async (tx) => {
          await tx.tokens.insert(token("t1", "http", "admin"));
          await tx.tokens.insert(token("t2", "device", "device"));
          await tx.sessions.insert(
            { hash: "s1", tokenId: "t1", createdAt: T, expiresAt: T + 100 },
            T,
          );
          await tx.sessions.insert(
            { hash: "s2", tokenId: "t2", createdAt: T, expiresAt: T + 100 },
            T,
          );
          // a new session drops the ones expired by then
          await tx.sessions.insert(
            { hash: "s3", tokenId: "t1", createdAt: T, expiresAt: T + 10 },
            T,
          );
        });
        await expect(
          engine.transaction((tx) => tx.tokens.insert(token("t1", "http", "reader"))),
        ).rejects.toThrow();
        const listed = await engine.transaction((tx) => tx.tokens.list());
        expect(listed.map((t) => t.id).sort()).toEqual(["t1", "t2"]);
        expect(listed.every((t) => !("hash" in t))).toBe(true);
        expect(await engine.transaction((tx) => tx.tokens.ofKind("device", "t2-subject"))).toEqual([
          token("t2", "device", "device"),
        ]);
        expect(await engine.transaction((tx) => tx.tokens.ofKind("device", "nobody"))).toEqual([]);
        const live = (hash: string, now: number) =>
          engine.transaction((tx) => tx.sessions.live(hash, now));
        expect(await live("s1", T + 50)).toEqual({
          hash: "s1",
          createdAt: T,
          expiresAt: T + 100,
          role: "admin",
        });
        expect(await live("s1", T + 100)).toBeUndefined(); // expired
        expect(await live("s2", T + 50)).toBeUndefined(); // a device token signs nobody in
        await engine.transaction((tx) => tx.sessions.extend("s1", T + 500));
        expect((await live("s1", T + 400))?.expiresAt).toBe(T + 500);
        await engine.transaction(async (tx) => {
          await tx.sessions.insert(
            { hash: "s4", tokenId: "t1", createdAt: T + 600, expiresAt: T + 900 },
            T + 600,
          );
        });
        // s1 expired at T + 500 and was dropped by the insert at T + 600
        expect(await live("s1", T + 400)).toBeUndefined();
        await engine.transaction((tx) => tx.sessions.delete("s4"));
        expect(await live("s4", T + 700)).toBeUndefined();
        await engine.transaction((tx) =>
          tx.sessions.insert(
            { hash: "s5", tokenId: "t1", createdAt: T + 600, expiresAt: T + 900 },
            T + 600,
          ),
        );
        expect(await engine.transaction((tx) => tx.tokens.delete("t1"))).toBe(true);
        expect(await engine.transaction((tx) => tx.tokens.delete("t1"))).toBe(false);
        expect(await live("s5", T + 700)).toBeUndefined();
      }),
    );

    test(
      "series: min / mean / max per aligned bucket, until inclusive, a metric's gaps as null",
      withEngine(async (engine) => {
        const M = 60_000;
        const t0 = Math.floor(T / M) * M; // a bucket boundary
        await engine.transaction(async (tx) => {
          const at = (ms: number, temperature: number | null, humidity: number | null) =>
            tx.readings.insert(reading("s1", t0 + ms, { temperature, humidity }));
          await at(1_000, 21, 40);
          await at(2_000, 22, null);
          await at(59_999, 21, 41);
          await at(M + 5, null, 50); // the second bucket: no temperature
          await at(3 * M, 30, 60); // exactly `until`: in
          await at(3 * M + 1, 99, 99); // after `until`: out
          await tx.readings.insert(reading("other", t0 + 1_000, { temperature: 0 }));
          await tx.rooms.insertReading({
            roomNo: 7,
            ts: t0 + 10,
            temperature: 19.5,
            humidity: 30,
            ...src({ srcTopic: "room" }),
          });
        });
        const series = await engine.read((q) =>
          q.queries.series({ device: "s1" }, { since: t0 + 500, until: t0 + 3 * M, bucketMs: M }),
        );
        expect(series).toEqual({
          since: t0,
          until: t0 + 3 * M,
          bucketMs: M,
          t: [t0, t0 + M, t0 + 3 * M],
          n: [3, 1, 1],
          temperature: { min: [21, null, 30], mean: [21.33, null, 30], max: [22, null, 30] },
          humidity: { min: [40, 50, 60], mean: [40.5, 50, 60], max: [41, 50, 60] },
        });
        const room = await engine.read((q) =>
          q.queries.series({ room: 7 }, { since: t0, until: t0 + M, bucketMs: M }),
        );
        expect(room.t).toEqual([t0]);
        expect(room.temperature.mean).toEqual([19.5]);
      }),
    );

    if (name === "sqlite")
      test(
        "a SQLite transaction that waits on something else is rolled back, not left open",
        withEngine(async (engine) => {
          await expect(
            engine.transaction(async (tx) => {
              await tx.readings.insert(reading("d1", T));
              await Bun.sleep(1);
            }),
          ).rejects.toThrow(TransactionCrossedTurn);
          expect(await engine.read((q) => q.queries.readings(undefined, 10))).toEqual([]);
          // and the connection is usable after
          expect(await engine.transaction((tx) => tx.readings.insert(reading("d1", T)))).toBe(true);
        }),
      );
  });
}
