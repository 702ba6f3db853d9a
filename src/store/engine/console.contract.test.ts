/**
 * The dashboard's reads (console-types.ts) on both engines, with the same expectations: rows
 * written through the engine (or, for tables no sink writes, by the same SQL on both), then
 * each read checked. A fresh database per test.
 */
import { describe, expect, test } from "bun:test";
import { onFresh, sourceKeys, useStores } from "../../../test/support/store-engines.ts";

const engines = useStores("iot-console-contract-", { pool: 4 }).withSql;

/** a time past 2^31 ms, as every real timestamp is */
const T = 1_764_000_000_000;
const H = 3_600_000;
const src = sourceKeys("iot.test", T);
/** a reading of the device "pi" */
const piReading = (ts: number, temperature: number, humidity: number | null = null) => ({
  deviceId: "pi",
  ts,
  temperature,
  humidity,
  msgId: null,
  ...src(),
});

for (const [name, open] of Object.entries(engines)) {
  describe(`console reads: ${name}`, () => {
    const withStore = onFresh(open);

    test(
      "people, one person, their events in a window and their newest",
      withStore(async ({ engine }) => {
        await engine.transaction(async (tx) => {
          await tx.presence.savePerson({
            name: "jane",
            state: "out",
            since: T + 30,
            day: "2025-11-24",
            awayMsToday: 1234,
            flagged: true,
          });
          await tx.presence.savePerson({
            name: "bob",
            state: "in",
            since: T,
            day: "2025-11-24",
            awayMsToday: 0,
            flagged: false,
          });
          for (const [ts, recordType] of [
            [T + 10, "in"],
            [T + 20, "out"],
            [T + 30, "out"],
            [T + 40, "in"],
          ] as const)
            await tx.presence.insertEvent({ name: "jane", recordType, ts, ...src() });
          await tx.presence.insertEvent({ name: "bob", recordType: "in", ts: T + 25, ...src() });
        });
        const r = await engine.read(async ({ console: c }) => ({
          people: await c.people(),
          jane: await c.person("jane"),
          nobody: await c.person("nobody"),
          window: await c.personEvents("jane", T + 20, T + 40),
          limited: await c.personEvents("jane", T, T + 100, 1),
          newest: await c.recentPersonEvents("jane", 2),
          before: await c.recentPersonEvents("jane", 5, T + 20),
        }));
        expect(r.people.map((p) => p.name)).toEqual(["bob", "jane"]);
        expect(r.jane).toEqual({
          name: "jane",
          state: "out",
          since: T + 30,
          day: "2025-11-24",
          away_ms_today: 1234,
          flagged: true,
        });
        expect(r.nobody).toBeUndefined();
        expect(r.window.map((e) => [e.ts, e.record_type])).toEqual([
          [T + 20, "out"],
          [T + 30, "out"],
        ]);
        expect(typeof r.window[0]!.id).toBe("number");
        expect(r.limited.map((e) => e.ts)).toEqual([T + 10]);
        expect(r.newest.map((e) => e.ts)).toEqual([T + 40, T + 30]);
        expect(r.before.map((e) => e.ts)).toEqual([T + 10]);
      }),
    );

    test(
      "a device, the cameras, snapshots, commands, data counts, message times and trails",
      withStore(async ({ engine, exec }) => {
        await engine.transaction(async (tx) => {
          await tx.devices.report({ id: "cam", kind: "camera", online: true, ts: T + 50 });
          await tx.devices.report({ id: "pi", kind: "pi", online: true, ts: T, x: 1, y: 2 });
          await tx.devices.report({ id: "quiet", kind: "pi", online: false, ts: T });
          for (let i = 0; i < 3; i++)
            await tx.images.insert({
              deviceId: "cam",
              ts: T + i * 10,
              path: `cam/${i}.jpg`,
              bytes: 100 + i,
              width: null,
              height: null,
              msgId: null,
              ...src(),
            });
          for (let i = 0; i < 4; i++)
            await tx.readings.insert({
              deviceId: "pi",
              ts: T + i * 1000,
              temperature: 20,
              humidity: 40,
              msgId: null,
              ...src(),
            });
          await tx.positions.add("pi", { ts: T + 500, x: 1, y: 2 });
          await tx.positions.add("pi", { ts: T + 1500, x: 3, y: 4 });
        });
        await exec(`INSERT INTO device_commands (device_id, ts, status, code, problem) VALUES
          ('pi', ${T + 1}, 'Inactive', 200, NULL), ('pi', ${T + 2}, 'Active', 503, 'no broker'),
          ('cam', ${T + 3}, 'Active', 200, NULL)`);
        const r = await engine.read(async ({ console: c }) => ({
          pi: await c.device("pi"),
          none: await c.device("none"),
          cameras: await c.cameraIds(),
          snapshots: await c.snapshots("cam", 2),
          commands: await c.commands("pi", 5),
          piCounts: await c.dataCounts("pi"),
          camCounts: await c.dataCounts("cam"),
          times: await c.recentTimes(["pi", "cam", "quiet"], 3),
          noTimes: await c.recentTimes([]),
          trails: await c.trails(["pi", "cam"]),
          noTrails: await c.trails([]),
        }));
        expect(r.pi).toEqual({
          id: "pi",
          name: null,
          kind: "pi",
          x: 1,
          y: 2,
          status: null,
          desired_status: null,
          online: true,
          last_seen: T,
        });
        expect(r.none).toBeUndefined();
        expect(r.cameras).toEqual(["cam"]);
        expect(r.snapshots.map(({ id: _, ...s }) => s)).toEqual([
          { device_id: "cam", ts: T + 20, bytes: 102 },
          { device_id: "cam", ts: T + 10, bytes: 101 },
        ]);
        expect(r.commands.map(({ id: _, ...c }) => c)).toEqual([
          { ts: T + 2, status: "Active", code: 503, problem: "no broker" },
          { ts: T + 1, status: "Inactive", code: 200, problem: null },
        ]);
        expect(r.piCounts).toEqual({ readings: 4, images: 0 });
        expect(r.camCounts).toEqual({ readings: 0, images: 3 });
        // positions and readings together, newest first, the newest n
        expect(r.times.get("pi")).toEqual([T + 3000, T + 2000, T + 1500]);
        expect(r.times.get("cam")).toEqual([T + 20, T + 10, T]);
        expect(r.times.get("quiet")).toEqual([]);
        expect(r.noTimes.size).toBe(0);
        expect(r.trails.get("pi")).toEqual([
          { ts: T + 500, x: 1, y: 2 },
          { ts: T + 1500, x: 3, y: 4 },
        ]);
        expect(r.trails.has("cam")).toBe(false);
        expect(r.noTrails.size).toBe(0);
      }),
    );

    test(
      "bins: each one's newest level with its time, and a bin's recent levels oldest first",
      withStore(async ({ engine }) => {
        await engine.transaction(async (tx) => {
          const bin = (binCount: number, binLevel: string, full: boolean, ts: number) =>
            tx.bins.insert({
              binCount,
              binLevel,
              full,
              mTime: `m${ts - T}`,
              ts,
              msgId: null,
              ...src(),
            });
          await bin(2, "10", false, T);
          await bin(1, "30", false, T + 1);
          await bin(1, "90", false, T + 2);
          await bin(1, "FULL", true, T + 3);
        });
        const r = await engine.read(async ({ console: c }) => ({
          latest: await c.latestBins(),
          history: await c.binHistory(1, 2),
        }));
        expect(r.latest).toEqual([
          { bin_count: 1, bin_level: "FULL", full: true, m_time: "m3", ts: T + 3 },
          { bin_count: 2, bin_level: "10", full: false, m_time: "m0", ts: T },
        ]);
        expect(r.history).toEqual([
          { ts: T + 2, level: 90, full: false },
          { ts: T + 3, level: 100, full: true },
        ]);
      }),
    );

    test(
      "a room, its rules, its newest reading times, its rule window and its open rule alerts",
      withStore(async ({ engine }) => {
        await engine.transaction(async (tx) => {
          for (const [room, ts, temperature] of [
            [1, T, 10],
            [1, T + 60_000, 20],
            [1, T + 120_000, 30],
            [2, T, 5],
          ] as const)
            await tx.rooms.insertReading({
              roomNo: room,
              ts,
              temperature,
              humidity: null,
              ...src(),
            });
          const condition = { temperature: { agg_type: "max", up: 25, down: null } };
          await tx.rooms.saveRule({ roomNo: 1, scheduleId: 2, condition, state: "alert" }, T);
          await tx.rooms.saveRule({ roomNo: 1, scheduleId: 1, condition, state: "ok" }, T);
          await tx.rooms.saveRule({ roomNo: 2, scheduleId: 1, condition, state: "ok" }, T);
          await tx.alerts.open("room-rule", "room 1 rule 2", "too hot", "warning", T + 1);
          const cleared = await tx.alerts.open("room-rule", "room 1 rule 1", "old", "warning", T);
          await tx.alerts.clear(cleared, T + 2);
          await tx.alerts.open("room-rule", "room 12 rule 1", "other room", "warning", T + 3);
        });
        const r = await engine.read(async ({ console: c }) => ({
          room: await c.room(1),
          none: await c.room(9),
          rules: await c.rules(1),
          all: await c.rules(),
          times: await c.roomRecentTimes(1, 2),
          window: await c.roomWindow(1, 60_000),
          noWindow: await c.roomWindow(9, 60_000),
          alerts: await c.roomAlerts(1),
          allAlerts: await c.roomAlerts(),
        }));
        expect(r.room).toEqual({
          room_no: 1,
          temperature: 30,
          humidity: null,
          updated_at: T + 120_000,
        });
        expect(r.none).toBeUndefined();
        expect(r.rules.map((x) => [x.room_no, x.schedule_id, x.state])).toEqual([
          [1, 1, "ok"],
          [1, 2, "alert"],
        ]);
        expect(r.rules[0]!.condition).toEqual({
          temperature: { agg_type: "max", up: 25, down: null },
        });
        expect(r.all.map((x) => [x.room_no, x.schedule_id])).toEqual([
          [1, 1],
          [1, 2],
          [2, 1],
        ]);
        expect(r.times).toEqual([T + 120_000, T + 60_000]);
        // the window is the minute up to the newest reading: 20 and 30
        expect(r.window).toEqual({
          until: T + 120_000,
          count: 2,
          temperature: { min: 20, mean: 25, max: 30 },
          humidity: { min: null, mean: null, max: null },
        });
        expect(r.noWindow).toBeUndefined();
        expect(r.alerts.map((a) => [a.subject, a.message, a.state])).toEqual([
          ["room 1 rule 2", "too hot", "open"],
        ]);
        expect(r.allAlerts.map((a) => a.subject)).toEqual(["room 12 rule 1", "room 1 rule 2"]);
      }),
    );

    test(
      "alerts: counts, groups filtered and paged, kinds, one alert, its history and deliveries",
      withStore(async ({ engine, exec }) => {
        const ids = await engine.transaction(async (tx) => {
          const out: number[] = [];
          // ids and times grow together: a group's newest member is its max id and time
          out.push(await tx.alerts.open("bin-full", "bin 3", "bin 3 FULL (1)", "warning", T));
          out.push(await tx.alerts.open("bin-full", "bin 3", "bin 3 FULL (2)", "warning", T + 1));
          out.push(await tx.alerts.open("offline", "pi-1", "pi-1 offline", "critical", T + 2));
          out.push(await tx.alerts.open("room-rule", "room 4 rule 1", "hot", "info", T + 3));
          out.push(await tx.alerts.open("room-rule", "room 40 rule 1", "hot", "info", T + 4));
          await tx.alerts.setState(out[2]!, "acknowledged", T + 5);
          await tx.alerts.clear(out[3]!, T + 6);
          return out;
        });
        await exec(`INSERT INTO deliveries
          (alert_id, event_id, event, alert_key, channel, attempt, status, reason, at) VALUES
          (${ids[0]}, 'e1', 'raised', 'bin-full:bin 3', 'webhook', 1, 'failed', 'timeout', ${T + 10}),
          (${ids[0]}, 'e1', 'raised', 'bin-full:bin 3', 'webhook', 2, 'sent', NULL, ${T + 20})`);
        const r = await engine.read(async ({ console: c }) => ({
          open: await c.alertCount("open"),
          acknowledged: await c.alertCount("acknowledged"),
          all: await c.alertGroups({}),
          paged: await c.alertGroups({}, 2, 2),
          room4: await c.alertGroups({ room: 4 }),
          device: await c.alertGroups({ device: "pi-1", state: "active" }),
          kinds: await c.alertKinds(),
          one: await c.alert(ids[1]!),
          none: await c.alert(999),
          history: await c.alertHistory("bin-full", "bin 3", 1),
          deliveries: await c.deliveries(ids[0]!),
        }));
        expect(r.open).toBe(3);
        expect(r.acknowledged).toBe(1);
        expect(r.all.groups).toEqual([
          {
            kind: "bin-full",
            subject: "bin 3",
            state: "open",
            severity: "warning",
            message: "bin 3 FULL (2)",
            last_id: ids[1]!,
            count: 2,
            first_at: T,
            last_at: T + 1,
            cleared_at: null,
          },
          expect.objectContaining({ subject: "room 40 rule 1", state: "open", count: 1 }),
          expect.objectContaining({ subject: "pi-1", state: "acknowledged", severity: "critical" }),
          expect.objectContaining({
            subject: "room 4 rule 1",
            state: "cleared",
            cleared_at: T + 6,
          }),
        ]);
        expect(r.all).toMatchObject({
          total_groups: 4,
          total_alerts: 5,
          page: 1,
          pages: 1,
          size: 50,
          by_state: { open: 3, acknowledged: 1, cleared: 1 },
        });
        expect(r.paged.groups.map((g) => g.subject)).toEqual(["pi-1", "room 4 rule 1"]);
        expect(r.paged).toMatchObject({ page: 2, pages: 2, size: 2, total_groups: 4 });
        // room 4 is not room 40
        expect(r.room4.groups.map((g) => g.subject)).toEqual(["room 4 rule 1"]);
        expect(r.room4.by_state).toEqual({ open: 0, acknowledged: 0, cleared: 1 });
        expect(r.device.groups.map((g) => g.subject)).toEqual(["pi-1"]);
        expect(r.kinds).toEqual(["bin-full", "offline", "room-rule"]);
        expect(r.one).toEqual({
          id: ids[1]!,
          kind: "bin-full",
          subject: "bin 3",
          message: "bin 3 FULL (2)",
          severity: "warning",
          state: "open",
          created_at: T + 1,
          cleared_at: null,
        });
        expect(r.none).toBeUndefined();
        expect(r.history.total).toBe(2);
        expect(r.history.rows).toEqual([
          {
            id: ids[1]!,
            state: "open",
            severity: "warning",
            message: "bin 3 FULL (2)",
            created_at: T + 1,
            cleared_at: null,
          },
        ]);
        expect(r.deliveries.map((d) => [d.attempt, d.status, d.reason, d.at])).toEqual([
          [1, "failed", "timeout", T + 10],
          [2, "sent", null, T + 20],
        ]);
      }),
    );

    test(
      "a chart reaching before the prune reads the hourly roll-ups there, raw rows after",
      withStore(async ({ engine, exec }) => {
        const day = Math.floor(T / (24 * H)) * 24 * H;
        // hours 0 and 1 pruned (only their roll-ups left), raw rows from hour 2 on
        await exec(`INSERT INTO rollups
          (kind, series, metric, hour, value_count, value_sum, value_min, value_max) VALUES
          ('readings', 'pi', 'temperature', ${day}, 2, 30, 10, 20),
          ('readings', 'pi', 'humidity', ${day}, 2, 80, 30, 50),
          ('readings', 'pi', 'temperature', ${day + H}, 1, 15, 15, 15),
          ('readings', 'other', 'temperature', ${day + H}, 1, 99, 99, 99)`);
        await exec(
          `INSERT INTO lifecycle_state (key, value) VALUES ('pruned:readings', ${day + H + 5})`,
        );
        await engine.transaction(async (tx) => {
          for (const [ts, temperature] of [
            [day + 2 * H + 1, 21],
            [day + 2 * H + 2, 23],
            [day + 3 * H, 30],
          ] as const)
            await tx.readings.insert(piReading(ts, temperature));
        });
        const range = { since: day, until: day + 3 * H, bucketMs: 30 * 60_000 };
        const s = await engine.read((q) => q.queries.series({ device: "pi" }, range));
        expect(s).toEqual({
          since: day,
          until: day + 3 * H,
          bucketMs: 30 * 60_000,
          t: [day, day + H, day + 2 * H, day + 3 * H],
          n: [2, 1, 2, 1],
          temperature: {
            min: [10, 15, 21, 30],
            mean: [15, 15, 22, 30],
            max: [20, 15, 23, 30],
          },
          humidity: {
            min: [30, null, null, null],
            mean: [40, null, null, null],
            max: [50, null, null, null],
          },
        });
        // within the raw window the roll-ups are not needed: raw rows only
        const raw = await engine.read((q) =>
          q.queries.series({ device: "pi" }, { ...range, since: day + 2 * H }),
        );
        expect(raw.t).toEqual([day + 2 * H, day + 3 * H]);
        expect(raw.temperature.mean).toEqual([22, 30]);
      }),
    );

    test(
      "a chart of whole hours: hours rolled up in full from the roll-ups, the live edge and a late reading's hour from the raw rows",
      withStore(async ({ engine, exec }) => {
        const day = Math.floor(T / (24 * H)) * 24 * H;
        const add = (rows: Array<[number, number, number | null]>) =>
          engine.transaction(async (tx) => {
            for (const [ts, temperature, humidity] of rows)
              await tx.readings.insert(piReading(ts, temperature, humidity));
          });
        // hours 0…5, a reading every 20 min: temperature 10·hour + 0, 1, 2; humidity 50, 52, 54
        // (none in hour 2); all rolled up, as the lifecycle does, a few rows a batch
        const early: Array<[number, number, number | null]> = [];
        for (let h = 0; h < 6; h++)
          for (let k = 0; k < 3; k++)
            early.push([day + h * H + k * 20 * 60_000, 10 * h + k, h === 2 ? null : 50 + 2 * k]);
        await add(early);
        while ((await engine.lifecycle.rollUpBatch("readings", 4, Number.MAX_SAFE_INTEGER)) > 0);
        // then, not rolled up yet: the live edge (hour 6) and a late reading for hour 4
        await add([
          [day + 6 * H + 1_000, 30, 40],
          [day + 6 * H + 2_000, 34, 42],
          [day + 4 * H + 30_000, 50, 10],
        ]);
        // a roll-up changed by hand tells where a point comes from: hour 1 from its roll-up;
        // hours 4 and 5 (from the late reading's hour on) from the raw rows
        await exec(`UPDATE rollups SET value_max = 99
          WHERE metric = 'temperature' AND hour IN (${day + H}, ${day + 4 * H}, ${day + 5 * H})`);
        const range = { since: day, until: day + 7 * H - 1, bucketMs: H };
        expect(await engine.read((q) => q.queries.series({ device: "pi" }, range))).toEqual({
          since: day,
          until: day + 7 * H - 1,
          bucketMs: H,
          t: [0, 1, 2, 3, 4, 5, 6].map((h) => day + h * H),
          n: [3, 3, 3, 3, 4, 3, 2],
          temperature: {
            min: [0, 10, 20, 30, 40, 50, 30],
            mean: [1, 11, 21, 31, 43.25, 51, 32],
            max: [2, 99, 22, 32, 50, 52, 34],
          },
          humidity: {
            min: [50, 50, null, 50, 10, 50, 40],
            mean: [52, 52, null, 52, 41.5, 52, 41],
            max: [54, 54, null, 54, 54, 54, 42],
          },
        });
        // once the late reading and the live edge are rolled up too, every hour comes from them
        while ((await engine.lifecycle.rollUpBatch("readings", 4, Number.MAX_SAFE_INTEGER)) > 0);
        await exec(`UPDATE rollups SET value_min = -1
          WHERE metric = 'humidity' AND hour IN (${day + 4 * H}, ${day + 6 * H})`);
        const all = await engine.read((q) => q.queries.series({ device: "pi" }, range));
        expect(all.n).toEqual([3, 3, 3, 3, 4, 3, 2]);
        expect(all.humidity.min).toEqual([50, 50, null, 50, -1, 50, -1]);
        expect(all.temperature.max).toEqual([2, 99, 22, 32, 99, 99, 34]);
      }),
    );

    test(
      "a room's chart of whole hours reads the room's roll-ups (series: the room number)",
      withStore(async ({ engine, exec }) => {
        const day = Math.floor(T / (24 * H)) * 24 * H;
        await engine.transaction(async (tx) => {
          for (const [roomNo, ts, temperature] of [
            [4, day + 10, 20],
            [4, day + H + 10, 22],
            [5, day + 10, 30],
          ] as const)
            await tx.rooms.insertReading({ roomNo, ts, temperature, humidity: 50, ...src() });
        });
        while ((await engine.lifecycle.rollUpBatch("rooms", 100, Number.MAX_SAFE_INTEGER)) > 0);
        await exec(`UPDATE rollups SET value_max = 99
          WHERE kind = 'rooms' AND series = '4' AND metric = 'temperature' AND hour = ${day}`);
        const s = await engine.read((q) =>
          q.queries.series({ room: 4 }, { since: day, until: day + 2 * H - 1, bucketMs: H }),
        );
        expect(s.t).toEqual([day, day + H]);
        expect(s.temperature.max).toEqual([99, 22]);
        expect(s.humidity.mean).toEqual([50, 50]);
      }),
    );

    // what the chart's trust in the roll-up mark rests on: PostgreSQL hands out ids before commit
    if (name === "postgres")
      test(
        "a roll-up waits for an insert in flight with a lower id, so the chart's roll-ups hold it",
        withStore(async ({ engine }) => {
          const day = Math.floor(T / (24 * H)) * 24 * H;
          let release = () => {};
          const held = new Promise<void>((r) => (release = r));
          let inserted = () => {};
          const first = new Promise<void>((r) => (inserted = r));
          // the lower id, committed last
          const slow = engine.transaction(async (tx) => {
            await tx.readings.insert(piReading(day + H + 1, 10));
            inserted();
            await held;
          });
          await first;
          await engine.transaction((tx) => tx.readings.insert(piReading(day + 2 * H + 1, 20)));
          const batch = engine.lifecycle.rollUpBatch("readings", 100, Number.MAX_SAFE_INTEGER);
          const early = await Promise.race([
            batch.then(() => "rolled up"),
            Bun.sleep(300).then(() => "waiting"),
          ]);
          release();
          await slow;
          expect(await batch).toBe(2);
          const s = await engine.read((q) =>
            q.queries.series({ device: "pi" }, { since: day, until: day + 3 * H, bucketMs: H }),
          );
          expect(s.t).toEqual([day + H, day + 2 * H]);
          expect(s.n).toEqual([1, 1]);
          expect(s.temperature.mean).toEqual([10, 20]);
          expect(early).toBe("waiting");
        }),
      );

    test(
      "disk use: PostgreSQL measures its tables; SQLite leaves it to the lifecycle's pass",
      withStore(async ({ engine }) => {
        await engine.transaction(async (tx) => {
          await tx.readings.insert({
            deviceId: "pi",
            ts: T,
            temperature: 1,
            humidity: 2,
            msgId: null,
            ...src(),
          });
        });
        const usage = await engine.read((q) => q.console.diskUsage(T));
        if (engine.dialect === "sqlite") return expect(usage).toBeUndefined();
        expect(usage!.engine).toBe("postgres");
        expect(usage!.at).toBe(T);
        expect(Object.keys(usage!.kinds).sort()).toEqual(
          ["alerts", "bins", "images", "presence", "readings", "rollups", "rooms"].sort(),
        );
        // a table with its indexes takes pages even when nearly empty
        expect(usage!.kinds.readings.dbBytes).toBeGreaterThan(8192);
        expect(usage!.dbBytes).toBeGreaterThan(usage!.kinds.readings.dbBytes);
      }),
    );
  });
}
