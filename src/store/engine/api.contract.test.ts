/**
 * The JSON API's ops (api-types.ts) on both engines: each op's answer, and the API's answers
 * (src/http/routes: lists, CSV, history pages and roll-ups, alert groups, triage, device
 * writes) byte for byte the same on SQLite and PostgreSQL for the same rows.
 */
import { describe, expect, test } from "bun:test";
import { onFresh, sourceKeys, useStoreEngines } from "../../../test/support/store-engines.ts";
import { EventBus } from "../../events/index.ts";
import { apiRoutes } from "../../http/routes/api.ts";
import { historyRoutes } from "../../http/routes/history.ts";
import { seriesRoutes } from "../../http/routes/series.ts";
import { parseNotifyConfig } from "../../notify/config/schema.ts";
import { NotifySettings, savedInEngine } from "../../notify/config/settings.ts";
import type { StoreEngine } from "./index.ts";

const engines = useStoreEngines("iot-api-contract-", { pool: 4 });

/** a time past 2^31 ms, as every real timestamp is; the start of a whole day */
const T = 1_764_028_800_000;
const src = sourceKeys("iot.test", T);

/** The same rows into either engine, through the sinks' own ops. */
async function seed(engine: StoreEngine) {
  await engine.transaction(async (tx) => {
    for (let i = 0; i < 12; i++) {
      const deviceId = i % 3 === 0 ? "=cmd" : `dev-${i % 2}`;
      // halves and quarters: every mean is exact in binary, on both engines
      await tx.readings.insert({
        deviceId,
        ts: T + i * 40_000,
        temperature: 20 + i * 0.25,
        humidity: i === 5 ? null : 40 + i * 0.5,
        msgId: i % 4 === 0 ? `m-${i}` : null,
        ...src(),
      });
      await tx.devices.touch(deviceId, T + i * 40_000);
    }
    await tx.devices.report({ id: "cam-1", kind: "camera", online: true, ts: T, x: 1.5, y: 2 });
    for (let i = 0; i < 3; i++)
      await tx.images.insert({
        deviceId: "cam-1",
        ts: T + i * 1000,
        path: `/nowhere/cam-1/${i}.jpg`,
        bytes: 1000 + i,
        width: i === 0 ? null : 640,
        height: i === 0 ? null : 480,
        msgId: `img-${i}`,
        ...src(),
      });
    const levels = ["40", "75.5", "FULL", "12", "90"];
    for (const [i, level] of levels.entries())
      await tx.bins.insert({
        binCount: 1 + (i % 2),
        binLevel: level,
        full: level === "FULL",
        mTime: `2025-11-25 00:0${i}:00`,
        ts: T + i * 70_000,
        msgId: `bin-${i}`,
        ...src(),
      });
    for (const [i, name] of ["ann", "bob", "ann", "+eve"].entries())
      await tx.presence.insertEvent({
        name,
        recordType: i % 2 === 0 ? "in" : "out",
        ts: T + i * 90_000,
        ...src(),
      });
    await tx.presence.savePerson({
      name: "ann",
      state: "in",
      since: T,
      day: "2025-11-25",
      awayMsToday: 1200,
      flagged: true,
    });
    for (let i = 0; i < 4; i++)
      await tx.rooms.insertReading({
        roomNo: 1 + (i % 2),
        ts: T + i * 30_000,
        temperature: 21 + i * 0.5,
        humidity: 50,
        ...src(),
      });
    await tx.rooms.saveRule(
      {
        roomNo: 1,
        scheduleId: 1,
        condition: { humidity: { agg_type: "min", up: 60, down: null } },
        state: "ok",
      },
      T,
    );
    // bin 3 fired three times (two cleared), a room rule, a device
    for (let i = 0; i < 2; i++)
      await tx.alerts.clear(
        await tx.alerts.open("bin-full", "bin 3", "full", "warning", T + i),
        T + 5,
      );
    await tx.alerts.open("bin-full", "bin 3", "full again", "critical", T + 10);
    await tx.alerts.open("room-rule", "room 1 rule 1", "too humid", "warning", T + 11);
    await tx.alerts.open("silent", "device dev-0", "no data", "info", T + 12);
  });
}

const withSeeded = (open: () => Promise<StoreEngine>, fn: (e: StoreEngine) => Promise<void>) =>
  onFresh(open)(async (engine) => {
    await seed(engine);
    await fn(engine);
  });

for (const [name, open] of Object.entries(engines)) {
  describe(`api ops: ${name}`, () => {
    test(
      "lists: images and bins newest first, rules, people, an image's path",
      withSeeded(open, async (engine) => {
        const imgs = await engine.read((q) => q.api.images("cam-1", 2));
        expect(imgs.map((r) => [r.ts, r.bytes, r.width])).toEqual([
          [T + 2000, 1002, 640],
          [T + 1000, 1001, 640],
        ]);
        expect(await engine.read((q) => q.api.images("nobody", 5))).toEqual([]);
        expect(await engine.read((q) => q.api.imagePath(imgs[0]!.id))).toBe("/nowhere/cam-1/2.jpg");
        expect(await engine.read((q) => q.api.imagePath(999_999))).toBeUndefined();
        const bins = await engine.read((q) => q.api.bins(2));
        expect(bins.map((b) => [b.bin_count, b.bin_level, b.full])).toEqual([
          [1, "90", false],
          [2, "12", false],
        ]);
        expect((await engine.read((q) => q.api.bins(9)))[2]!.full).toBe(true);
        const rules = await engine.read((q) => q.api.rules());
        expect(rules).toEqual([
          {
            room_no: 1,
            schedule_id: 1,
            condition: { humidity: { agg_type: "min", up: 60, down: null } },
            state: "ok",
            updated_at: T,
          },
        ]);
        expect(await engine.read((q) => q.api.people())).toEqual([
          {
            name: "ann",
            state: "in",
            since: T,
            day: "2025-11-25",
            away_ms_today: 1200,
            flagged: true,
          },
        ]);
      }),
    );

    test(
      "alert groups and counts: open first, most severe first, real totals",
      withSeeded(open, async (engine) => {
        const page = await engine.read((q) => q.api.alertGroups({}, 1, 2));
        expect(page.groups.map((g) => [g.kind, g.state, g.count, g.severity, g.message])).toEqual([
          ["bin-full", "open", 1, "critical", "full again"],
          ["room-rule", "open", 1, "warning", "too humid"],
        ]);
        expect(page).toMatchObject({ total_groups: 4, total_alerts: 5, pages: 2, size: 2 });
        expect(page.by_state).toEqual({ open: 3, acknowledged: 0, cleared: 2 });
        const cleared = await engine.read((q) => q.api.alertGroups({ state: "cleared" }));
        expect(cleared.groups).toEqual([
          {
            kind: "bin-full",
            subject: "bin 3",
            state: "cleared",
            severity: "warning",
            message: "full",
            last_id: expect.any(Number),
            count: 2,
            first_at: T,
            last_at: T + 1,
            cleared_at: T + 5,
          },
        ]);
        const room = await engine.read((q) => q.api.alertGroups({ room: 1 }));
        expect(room.groups.map((g) => g.subject)).toEqual(["room 1 rule 1"]);
        const dev = await engine.read((q) => q.api.alertGroups({ device: "dev-0" }));
        expect(dev.groups.map((g) => g.subject)).toEqual(["device dev-0"]);
        expect(await engine.read((q) => q.api.countAlerts())).toBe(5);
        expect(await engine.read((q) => q.api.countAlerts("active"))).toBe(3);
        expect(await engine.read((q) => q.api.countAlerts("cleared"))).toBe(2);
      }),
    );

    test(
      "history: raw pages by (time, id), roll-ups per bucket and key, filters",
      withSeeded(open, async (engine) => {
        const first = await engine.read((q) =>
          q.api.history({
            kind: "readings",
            bucket: "raw",
            limit: 3,
            filter: { device_id: "dev-1" },
          }),
        );
        expect(first.rows.map((r) => r.ts)).toEqual([T + 40_000, T + 200_000, T + 280_000]);
        expect(first.next).toEqual([T + 280_000, first.rows[2]!.id as number]);
        const rest = await engine.read((q) =>
          q.api.history({
            kind: "readings",
            bucket: "raw",
            limit: 5,
            after: first.next,
            filter: { device_id: "dev-1" },
          }),
        );
        expect(rest.rows.map((r) => r.ts)).toEqual([T + 440_000]);
        expect(rest.next).toBeUndefined();
        const minutes = await engine.read((q) =>
          q.api.history({
            kind: "readings",
            bucket: "1m",
            since: T,
            until: T + 120_000,
            limit: 10,
          }),
        );
        expect(minutes.rows).toEqual([
          {
            bucket: T,
            device_id: "=cmd",
            count: 1,
            temperature_min: 20,
            temperature_mean: 20,
            temperature_max: 20,
            humidity_min: 40,
            humidity_mean: 40,
            humidity_max: 40,
          },
          {
            bucket: T,
            device_id: "dev-1",
            count: 1,
            temperature_min: 20.25,
            temperature_mean: 20.25,
            temperature_max: 20.25,
            humidity_min: 40.5,
            humidity_mean: 40.5,
            humidity_max: 40.5,
          },
          {
            bucket: T + 60_000,
            device_id: "dev-0",
            count: 1,
            temperature_min: 20.5,
            temperature_mean: 20.5,
            temperature_max: 20.5,
            humidity_min: 41,
            humidity_mean: 41,
            humidity_max: 41,
          },
        ]);
        const bins = await engine.read((q) =>
          q.api.history({ kind: "bins", bucket: "1d", limit: 10 }),
        );
        expect(bins.rows).toEqual([
          {
            bucket: T,
            bin_count: 1,
            count: 3,
            bin_level_min: 40,
            bin_level_mean: 65,
            bin_level_max: 90,
            full_count: 1,
          },
          {
            bucket: T,
            bin_count: 2,
            count: 2,
            bin_level_min: 12,
            bin_level_mean: 43.75,
            bin_level_max: 75.5,
            full_count: 0,
          },
        ]);
        const people = await engine.read((q) =>
          q.api.history({ kind: "presence", bucket: "1h", limit: 1 }),
        );
        expect(people.rows).toEqual([
          { bucket: T, name: "+eve", count: 1, in_count: 0, out_count: 1 },
        ]);
        expect(people.next).toEqual([T, "+eve"]);
        const next = await engine.read((q) =>
          q.api.history({ kind: "presence", bucket: "1h", limit: 5, after: people.next }),
        );
        expect(next.rows.map((r) => r.name)).toEqual(["ann", "bob"]);
        const alerts = await engine.read((q) =>
          q.api.history({ kind: "alerts", bucket: "raw", limit: 9, filter: { state: "cleared" } }),
        );
        expect(alerts.rows.map((r) => [r.created_at, r.cleared_at])).toEqual([
          [T, T + 5],
          [T + 1, T + 5],
        ]);
      }),
    );

    test(
      "device writes: rename (blank clears), remove with and without data",
      withSeeded(open, async (engine) => {
        expect(
          await engine.transaction((tx) => tx.apiWrites.renameDevice("cam-1", "  Door ")),
        ).toBe(true);
        expect(await engine.transaction((tx) => tx.apiWrites.renameDevice("ghost", "x"))).toBe(
          false,
        );
        let devices = await engine.read((q) => q.queries.devices());
        expect(devices.find((d) => d.id === "cam-1")?.name).toBe("Door");
        await engine.transaction((tx) => tx.apiWrites.renameDevice("cam-1", " "));
        devices = await engine.read((q) => q.queries.devices());
        expect(devices.find((d) => d.id === "cam-1")?.name).toBeNull();
        expect(await engine.transaction((tx) => tx.apiWrites.removeDevice("dev-1", false))).toEqual(
          {
            existed: true,
            imagePaths: [],
          },
        );
        expect(await engine.read((q) => q.queries.readings("dev-1", 99))).toHaveLength(4);
        const gone = await engine.transaction((tx) => tx.apiWrites.removeDevice("cam-1", true));
        expect(gone.existed).toBe(true);
        expect(gone.imagePaths.sort()).toEqual([
          "/nowhere/cam-1/0.jpg",
          "/nowhere/cam-1/1.jpg",
          "/nowhere/cam-1/2.jpg",
        ]);
        expect(await engine.read((q) => q.api.images("cam-1", 9))).toEqual([]);
        expect((await engine.read((q) => q.queries.devices())).map((d) => d.id)).toEqual([
          "=cmd",
          "dev-0",
        ]);
        expect(await engine.transaction((tx) => tx.apiWrites.removeDevice("cam-1", true))).toEqual({
          existed: false,
          imagePaths: [],
        });
      }),
    );

    test(
      "logins read tokens and sessions outside a transaction",
      withSeeded(open, async (engine) => {
        const token = {
          kind: "http",
          subject: "ops",
          role: "admin",
          hash: "h1",
          createdAt: T,
        } as const;
        await engine.transaction(async (tx) => {
          await tx.tokens.insert({ id: "t1", ...token });
          await tx.tokens.insert({ id: "t2", ...token, kind: "device", subject: "pi", hash: "h2" });
          await tx.sessions.insert(
            { hash: "s1", tokenId: "t1", createdAt: T, expiresAt: T + 10 },
            T,
          );
        });
        expect(await engine.read((q) => q.authReads.tokensOfKind("http"))).toEqual([
          { id: "t1", ...token },
        ]);
        expect(await engine.read((q) => q.authReads.tokensOfKind("device", "nobody"))).toEqual([]);
        expect((await engine.read((q) => q.authReads.tokenList())).map((t) => t.id).sort()).toEqual(
          ["t1", "t2"],
        );
        expect(await engine.read((q) => q.authReads.liveSession("s1", T + 9))).toEqual({
          hash: "s1",
          createdAt: T,
          expiresAt: T + 10,
          role: "admin",
        });
        expect(await engine.read((q) => q.authReads.liveSession("s1", T + 10))).toBeUndefined();
      }),
    );

    test(
      "notification settings: saved once, replaced, read by another process's copy",
      withSeeded(open, async (engine) => {
        expect(await engine.read((q) => q.api.savedNotifySettings())).toBeUndefined();
        const page = new NotifySettings(savedInEngine(engine), parseNotifyConfig({}));
        const other = new NotifySettings(savedInEngine(engine), parseNotifyConfig({}));
        expect((await other.refresh()).source).toBe("config file");
        const config = parseNotifyConfig({
          channels: {
            hook: {
              type: "webhook",
              url: "http://127.0.0.1:9/x",
              secret: "a-secret-of-sixteen-plus",
            },
          },
          routes: [{ channels: ["hook"], kinds: ["bin-full"] }],
        });
        await page.save(config);
        await page.save(config); // replaced, not added
        expect(JSON.parse((await engine.read((q) => q.api.savedNotifySettings()))!)).toEqual(
          JSON.parse(JSON.stringify(config)),
        );
        const seen = await other.refresh();
        expect(seen.source).toBe("dashboard");
        expect([...seen.channels.keys()]).toEqual(["hook"]);
        page.close();
        other.close();
      }),
    );

    test(
      "alert triage in bulk: by ids and by groups, only those not past it yet",
      withSeeded(open, async (engine) => {
        const open = await engine.read((q) => q.queries.alerts("open", 9));
        const ids = open.map((a) => a.id);
        const acked = await engine.transaction((tx) =>
          tx.apiWrites.alertsByIds([...ids, 999_999], "acknowledged", T + 100),
        );
        expect(acked.sort()).toEqual([...ids].sort());
        expect(
          await engine.transaction((tx) => tx.apiWrites.alertsByIds(ids, "acknowledged", T + 101)),
        ).toEqual([]);
        const cleared = await engine.transaction((tx) =>
          tx.apiWrites.alertsByGroups(
            [
              { kind: "bin-full", subject: "bin 3", state: "acknowledged" },
              { kind: "bin-full", subject: "bin 3", state: "cleared" },
            ],
            "cleared",
            T + 200,
          ),
        );
        expect(cleared).toHaveLength(1);
        expect(await engine.read((q) => q.api.countAlerts("cleared"))).toBe(3);
        expect(await engine.read((q) => q.api.countAlerts("acknowledged"))).toBe(2);
      }),
    );
  });
}

/** Every /api list and history URL with its options, JSON and CSV. */
const urls = [
  "/api/readings",
  "/api/readings?device_id=dev-0&limit=3",
  "/api/readings?format=csv",
  "/api/images",
  "/api/images?device_id=cam-1&limit=1&format=csv",
  "/api/bins",
  "/api/bins?format=csv",
  "/api/devices",
  "/api/devices?format=csv",
  "/api/rooms",
  "/api/people",
  "/api/people?format=csv",
  "/api/alerts",
  "/api/alerts?state=active&format=csv",
  "/api/alerts/groups",
  "/api/alerts/groups?state=cleared&kind=bin-full",
  "/api/alerts/groups?room=1&page=1&size=1",
  "/api/alerts/count?state=active",
  "/api/series?device_id=dev-0&since=2025-11-25T00:00:00Z&until=2025-11-25T01:00:00Z&bucket_ms=60000",
  "/api/series?room_no=1&since=2025-11-25T00:00:00Z&until=2025-11-25T01:00:00Z&buckets=10",
  "/api/history/readings?limit=4",
  "/api/history/readings?device_id=dev-1&bucket=1m&format=csv",
  "/api/history/readings?bucket=5m&limit=2",
  "/api/history/rooms?room_no=1",
  "/api/history/rooms?bucket=1h",
  "/api/history/bins?bucket=1d&format=csv",
  "/api/history/bins?bin_count=1",
  "/api/history/presence?bucket=1m&limit=2",
  "/api/history/presence?name=ann&format=csv",
  "/api/history/alerts?state=cleared",
  "/api/history/alerts?bucket=1d",
  "/api/history/alerts?severity=critical&format=csv",
];

test("the API answers the same bytes on SQLite and PostgreSQL for the same rows", async () => {
  const sqlite = await engines.sqlite();
  const pg = await engines.postgres();
  try {
    await seed(sqlite);
    await seed(pg);
    const apps = [sqlite, pg].map((engine) => {
      const bus = new EventBus();
      const api = apiRoutes({ engine, bus, now: () => T + 1000 });
      const history = historyRoutes({ engine });
      const series = seriesRoutes({ engine });
      return (url: string, init?: RequestInit) =>
        url.startsWith("/api/history/")
          ? history.request(url, init)
          : url.startsWith("/api/series")
            ? series.request(url, init)
            : api.request(url, init);
    });
    const answer = async (app: (typeof apps)[0], url: string, init?: RequestInit) => {
      const res = await app(url, init);
      return {
        url,
        status: res.status,
        type: res.headers.get("content-type"),
        link: res.headers.get("link"),
        body: await res.text(),
      };
    };
    for (const url of [...urls, "/api/rules"]) {
      const [a, b] = [await answer(apps[0]!, url), await answer(apps[1]!, url)];
      expect(a.status).toBe(200);
      expect(a.body.length).toBeGreaterThan(2);
      expect(b).toEqual(a);
    }
    // triage: the same answers, then the same lists
    const post = (body: unknown) => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const ids = JSON.parse((await answer(apps[0]!, "/api/alerts?state=open")).body).map(
      (a: { id: number }) => a.id,
    );
    for (const [url, init] of [
      ["/api/alerts/ack", post({ ids: [ids[0]] })],
      [`/api/alerts/${ids[1]}/clear`, post({})],
      [`/api/alerts/${ids[1]}/clear`, post({})],
      [
        "/api/alerts/clear",
        post({ groups: [{ kind: "bin-full", subject: "bin 3", state: "acknowledged" }] }),
      ],
    ] as const) {
      const [a, b] = [await answer(apps[0]!, url, init), await answer(apps[1]!, url, init)];
      expect(b).toEqual(a);
    }
    for (const url of ["/api/alerts", "/api/alerts/groups"]) {
      const [a, b] = [await answer(apps[0]!, url), await answer(apps[1]!, url)];
      expect(b).toEqual(a);
    }
  } finally {
    await sqlite.close();
    await pg.close();
  }
});
