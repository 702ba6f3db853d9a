/**
 * The sinks', alerts' and relay's operations (sink-types.ts) on both engines, and on PostgreSQL
 * two processes (two engines, two pools, one database) racing on the same rule, person and alert:
 * the second waits for the first and reads what it committed, so nothing is lost or doubled.
 */
import { describe, expect, test } from "bun:test";
import { onFresh, sourceKeys, useStores } from "../../../test/support/store-engines.ts";
import { Alerts } from "../../alerts/index.ts";
import { EventBus } from "../../events/index.ts";
import type { NewReading } from "../readings.ts";
import type { StoreEngine, StoreOps } from "./index.ts";
import { openPostgresEngine } from "./open-postgres.ts";

// one throwaway cluster for the file: the contract on both engines, and the races below
const stores = useStores("iot-sink-ops-", { pool: 4 });
const engines = stores.engines;

const T = 1_764_000_000_000;
const src = sourceKeys("iot.telemetry", T);
const reading = (deviceId: string, msgId: string | null): NewReading => ({
  deviceId,
  ts: T,
  temperature: 20,
  humidity: null,
  msgId,
  ...src(),
});
const rule = {
  roomNo: 1,
  scheduleId: 7,
  condition: { temperature: { up: 25 } },
  state: "ok" as const,
};
const jane = {
  name: "jane",
  state: "out" as const,
  since: T,
  day: "2026-11-24",
  awayMsToday: 0,
  flagged: false,
};

for (const [name, open] of Object.entries(engines)) {
  describe(`sink operations: ${name}`, () => {
    const withEngine = onFresh(open);

    test(
      "readingBatch: one call tells each row new or stored before (redelivered, repeated msg_id, twice in the batch)",
      withEngine(async (engine) => {
        const first = reading("d1", "m-1");
        await engine.transaction((tx) => tx.readingBatch.insert([first]));
        const again = reading("d1", "m-2");
        const fresh = await engine.transaction((tx) =>
          tx.readingBatch.insert([
            { ...first }, // the same Kafka record
            { ...first, ...src() }, // the same message at another offset
            reading("d2", "m-1"), // another device's m-1
            again,
            { ...again, ...src() }, // twice in this batch
            reading("d1", null),
          ]),
        );
        expect(fresh).toEqual([false, false, true, true, false, true]);
        expect(await engine.transaction((tx) => tx.readingBatch.insert([]))).toEqual([]);
        const rows = await engine.read((q) => q.queries.readings(undefined, 10));
        expect(rows).toHaveLength(4);
      }),
    );

    test(
      "readingBatch: more rows than one statement takes",
      withEngine(async (engine) => {
        const rows = Array.from({ length: 2500 }, (_, i) => reading("bulk", `b-${i}`));
        const fresh = await engine.transaction((tx) => tx.readingBatch.insert(rows));
        expect(fresh.filter(Boolean)).toHaveLength(2500);
        const again = await engine.transaction((tx) => tx.readingBatch.insert(rows));
        expect(again.filter(Boolean)).toHaveLength(0);
      }),
    );

    test(
      "roomState: a room's rules and its readings within the window of its newest",
      withEngine(async (engine) => {
        await engine.transaction(async (tx) => {
          await tx.rooms.saveRule(rule, T);
          await tx.rooms.saveRule({ ...rule, roomNo: 2 }, T);
          for (const [room, s] of [
            [1, 0],
            [1, 200],
            [1, 400],
            [2, 999],
          ] as const)
            await tx.rooms.insertReading({
              roomNo: room,
              ts: T + s * 1000,
              temperature: s,
              humidity: null,
              ...src({ srcTopic: "room" }),
            });
        });
        const [rules, recent, none] = await engine.transaction(async (tx) => [
          await tx.roomState.rulesOf(1),
          await tx.roomState.recentReadings(1, 300_000),
          await tx.roomState.recentReadings(3, 300_000),
        ]);
        expect(rules).toEqual([rule]);
        expect(recent).toEqual([
          { ts: T + 200_000, temperature: 200, humidity: null },
          { ts: T + 400_000, temperature: 400, humidity: null },
        ]);
        expect(none).toEqual([]);
      }),
    );

    test(
      "peopleState and alertState: the people as stored; a lock is taken and let go with the transaction",
      withEngine(async (engine) => {
        await engine.transaction((tx) => tx.presence.savePerson(jane));
        expect(await engine.transaction((tx) => tx.peopleState.lock())).toEqual([jane]);
        await engine.transaction((tx) => tx.alertState.lock("disk", "/data"));
        // let go: taken again at once
        await engine.transaction((tx) => tx.alertState.lock("disk", "/data"));
      }),
    );

    test(
      "alertBulk: by id and by group, each alert once, only from the states the action leaves",
      withEngine(async (engine) => {
        const ids = await engine.transaction(async (tx) => [
          await tx.alerts.open("bin-full", "bin 1", "m", "warning", T),
          await tx.alerts.open("bin-full", "bin 2", "m", "warning", T),
          await tx.alerts.open("disk", "/data", "m", "critical", T),
        ]);
        const acked = await engine.transaction((tx) =>
          tx.alertBulk.byIds([ids[0]!, 9999], "acknowledged", T + 1),
        );
        expect(acked).toEqual([ids[0]!]);
        const cleared = await engine.transaction(async (tx) => [
          ...(await tx.alertBulk.byGroups(
            [
              { kind: "bin-full", subject: "bin 2", state: "open" },
              { kind: "disk", subject: "/data", state: "cleared" }, // nothing to clear from
            ],
            "cleared",
            T + 2,
          )),
          ...(await tx.alertBulk.byIds([ids[0]!], "acknowledged", T + 2)), // acknowledged already
        ]);
        expect(cleared).toEqual([ids[1]!]);
        const states = await engine.read((q) => q.queries.alerts(undefined, 10));
        expect(Object.fromEntries(states.map((a) => [a.id, a.state]))).toEqual({
          [ids[0]!]: "acknowledged",
          [ids[1]!]: "cleared",
          [ids[2]!]: "open",
        });
      }),
    );

    test(
      "outbox: done events leave it; the others stay in order",
      withEngine(async (engine) => {
        const alerts = new Alerts(engine, new EventBus(), () => T);
        await alerts.raise("bin-full", "bin 1", "bin 1 is FULL");
        await alerts.raise("bin-full", "bin 1", "bin 1 is FULL"); // open already: nothing new
        await alerts.clear("bin-full", "bin 1");
        const pending = await engine.transaction((tx) => tx.notify.pending(10));
        expect(pending.map((e) => [e.event, e.subject])).toEqual([
          ["raised", "bin 1"],
          ["cleared", "bin 1"],
        ]);
        await engine.transaction((tx) => tx.outbox.done([pending[0]!.id]));
        await engine.transaction((tx) => tx.outbox.orphans());
        const left = await engine.transaction((tx) => tx.notify.pending(10));
        expect(left.map((e) => e.id)).toEqual([pending[1]!.id]);
      }),
    );

    test(
      "deliveries: queued once per event and channel, due in order, attempts recorded and counted",
      withEngine(async (engine) => {
        const base = { eventId: "1", alertKey: "bin-full bin 1", event: "raised" as const };
        const queue = (channel: string, nextAt: number) =>
          engine.transaction((tx) =>
            tx.deliveries.queue({ ...base, channel, payload: "{}", nextAt }),
          );
        expect(await queue("hook", T)).toBe(true);
        expect(await queue("hook", T)).toBe(false); // this event on this channel already
        expect(await queue("phone", T + 10)).toBe(true);
        const d = <R>(fn: (rows: StoreOps["deliveries"]) => Promise<R>) =>
          engine.transaction((tx) => fn(tx.deliveries));
        expect(await d((r) => r.queued("1", "hook"))).toBe(true);
        expect(await d((r) => r.queued("2", "hook"))).toBe(false);
        expect(await d((r) => r.pendingFor("phone", base.alertKey, "raised"))).toBe(true);
        expect(await d((r) => r.queueLength())).toBe(2);
        const due = await d((r) => r.due(T + 5, 10));
        expect(due.map((q) => [q.channel, q.attempts])).toEqual([["hook", 0]]);
        await d((r) => r.retryAt(due[0]!.id, 1, T + 100));
        expect(await d((r) => r.due(T + 50, 10))).toEqual([
          expect.objectContaining({ channel: "phone" }),
        ]);
        const record = (status: "sent" | "collapsed", at: number) =>
          d((r) =>
            r.record({
              ...base,
              alertId: 1,
              channel: "hook",
              attempt: 1,
              status,
              reason: null,
              at,
            }),
          );
        await record("sent", T + 1);
        await record("sent", T + 3);
        await record("collapsed", T + 4);
        await record("collapsed", T + 6);
        expect((await d((r) => r.lastSent("hook", base.alertKey, "raised", T)))?.at).toBe(T + 3);
        expect(await d((r) => r.lastSent("hook", base.alertKey, "raised", T + 4))).toBeUndefined();
        expect(await d((r) => r.collapsedSince("hook", base.alertKey, "raised", T + 5))).toBe(1);
        expect((await d((r) => r.outcome("1", "hook")))?.status).toBe("sent");
        expect(await d((r) => r.outcome("1", "phone"))).toBeUndefined();
        await d((r) => r.unqueue(due[0]!.id));
        expect(await d((r) => r.queueLength())).toBe(1);
      }),
    );
  });
}

describe("two consumers processes on one PostgreSQL", () => {
  /** two engines (two pools, as two processes have) on one fresh database */
  const twoProcesses = async (fn: (a: StoreEngine, b: StoreEngine) => Promise<void>) => {
    const url = await stores.cluster().createDatabase();
    const a = await openPostgresEngine(url, { pool: 2 });
    const b = await openPostgresEngine(url, { pool: 2, migrate: false });
    try {
      await fn(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  };
  /** between its read and its write: long enough that the other process's read comes first */
  const dawdle = () => Bun.sleep(150);

  test("both check the same rule at once: one crossing, one alert, the state written once", () =>
    twoProcesses(async (a, b) => {
      await a.transaction((tx) => tx.rooms.saveRule(rule, T));
      const check = (engine: StoreEngine) =>
        engine.transaction(async (tx) => {
          const [stored] = await tx.roomState.rulesOf(1);
          await dawdle();
          if (stored!.state !== "ok") return false;
          await tx.rooms.setRuleState(stored!, "alert", T);
          await new Alerts(engine, new EventBus(), () => T).raiseIn(
            tx,
            "room-rule",
            "room 1 rule 7",
            "too warm",
          );
          return true;
        });
      const crossed = await Promise.all([check(a), check(b)]);
      expect(crossed.filter(Boolean)).toHaveLength(1);
      const alerts = await a.read((q) => q.queries.alerts(undefined, 10));
      expect(alerts.map((x) => x.state)).toEqual(["open"]);
    }));

  test("both add time away to the same person at once: neither addition is lost", () =>
    twoProcesses(async (a, b) => {
      await a.transaction((tx) => tx.presence.savePerson(jane));
      const addMinute = (engine: StoreEngine) =>
        engine.transaction(async (tx) => {
          const person = (await tx.peopleState.lock()).find((p) => p.name === "jane")!;
          await dawdle();
          await tx.presence.savePerson({ ...person, awayMsToday: person.awayMsToday + 60_000 });
        });
      await Promise.all([addMinute(a), addMinute(b)]);
      const [stored] = await a.transaction((tx) => tx.peopleState.lock());
      expect(stored!.awayMsToday).toBe(120_000);
    }));

  test("a person neither has stored yet is held too", () =>
    twoProcesses(async (a, b) => {
      const arrive = (engine: StoreEngine) =>
        engine.transaction(async (tx) => {
          const known = (await tx.peopleState.lock()).find((p) => p.name === "jane");
          await dawdle();
          const awayMsToday = (known?.awayMsToday ?? 0) + 60_000;
          await tx.presence.savePerson({ ...jane, awayMsToday });
        });
      await Promise.all([arrive(a), arrive(b)]);
      const [stored] = await a.transaction((tx) => tx.peopleState.lock());
      expect(stored!.awayMsToday).toBe(120_000);
    }));

  test("both raise the same alert at once: it is opened once", () =>
    twoProcesses(async (a, b) => {
      const raise = (engine: StoreEngine) =>
        engine.transaction(async (tx) => {
          await tx.alertState.lock("disk", "/data");
          const open = await tx.alerts.active("disk", "/data");
          await dawdle();
          if (!open) await tx.alerts.open("disk", "/data", "full", "critical", T);
        });
      await Promise.all([raise(a), raise(b)]);
      const alerts = await a.read((q) => q.queries.alerts(undefined, 10));
      expect(alerts).toHaveLength(1);
    }));
});
