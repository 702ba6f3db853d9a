import { describe, expect, test } from "bun:test";
import { EventBus } from "../../events/index.ts";
import { Health } from "../../health/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import { openStore } from "../../store/index.ts";
import { sqliteEngine } from "../../store/engine/index.ts";
import { alerts, devices, people, rooms, rules } from "../../store/schema.ts";
import { dashboardRoutes } from "./routes.tsx";

function setup() {
  const store = openStore(":memory:");
  const health = new Health();
  health.register("kafka", () => ({ state: "up" }));
  const bus = new EventBus();
  const d = dashboardRoutes({
    store: sqliteEngine(store.db),
    health,
    bus,
    version: "t",
    metrics: new MetricsRegistry(),
    videoSources: () => [],
  });
  return { ...d, store, bus };
}

describe("dashboard pages (app.request)", () => {
  test("each page is a full HTML page with its live region and SSE connection", async () => {
    const { app, live } = setup();
    for (const [path, view] of [
      ["/", "overview"],
      ["/rooms", "rooms"],
      ["/people", "people"],
      ["/devices", "devices"],
      ["/bins", "bins"],
      ["/cameras", "cameras"],
      ["/alerts", "alerts"],
    ]) {
      const html = await (await app.request(path!)).text();
      expect(html).toStartWith("<!DOCTYPE html>");
      expect(html).toContain(`sse-connect="/events?view=${view}"`);
      expect(html).toContain(`sse-swap="${view}"`);
    }
    live.close();
  });

  test("empty states tell a newcomer what to do", async () => {
    const { app, live } = setup();
    const overview = await (await app.request("/")).text();
    expect(overview).toContain("No devices yet");
    expect(overview).toContain("Start one with <code>iot device --server mqtt://");
    expect(await (await app.request("/bins")).text()).toContain("No bins yet");
    live.close();
  });

  test("pages render what the store holds", async () => {
    const { app, store, live } = setup();
    const now = Date.now();
    store.db
      .insert(devices)
      .values({
        id: "3DF92-192",
        kind: "coffee",
        x: 1,
        y: 2,
        status: "Active",
        online: true,
        lastSeen: now,
      })
      .run();
    store.db
      .insert(rooms)
      .values({ roomNo: 1, temperature: 30, humidity: 10, updatedAt: now })
      .run();
    store.db
      .insert(rules)
      .values({
        roomNo: 1,
        scheduleId: 1,
        condition: { temperature: { agg_type: "max", up: 28, down: null } },
        state: "alert",
        updatedAt: now,
      })
      .run();
    store.db
      .insert(people)
      .values({
        name: "jane",
        state: "out",
        since: now - 3600_000,
        day: new Date(now).toLocaleDateString("sv-SE"),
        awayMsToday: 0,
        flagged: true,
      })
      .run();
    store.db
      .insert(alerts)
      .values({ kind: "room-rule", subject: "room 1 rule 1", message: "too hot", createdAt: now })
      .run();
    const devicesPage = await (await app.request("/devices")).text();
    expect(devicesPage).toContain('data-testid="dot-3DF92-192"');
    expect(devicesPage).toContain('hx-post="/status/3DF92-192"');
    expect(await (await app.request("/rooms")).text()).toMatch(
      /max temperature ≤ 28 <span class="badge badge-alert">alert<\/span>/,
    );
    expect(await (await app.request("/people")).text()).toMatch(
      /data-testid="person-jane"[\s\S]*?1 h 00 min[\s\S]*?over the limit/,
    );
    const alertsPage = await (await app.request("/alerts")).text();
    expect(alertsPage).toContain('<a href="/alerts/1">too hot</a>');
    expect(alertsPage).toContain('formaction="/api/alerts/ack"');
    live.close();
  });

  test("an event re-renders the watched view once and streams it as an SSE event", async () => {
    const { app, store, bus, live } = setup();
    const ac = new AbortController();
    const res = await app.request("/events?view=devices", { signal: ac.signal });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    store.db.insert(devices).values({ id: "d9", online: true }).run();
    for (let i = 0; i < 5; i++) bus.publish({ type: "device" });
    let text = "";
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toStartWith("event: devices\ndata: ");
    expect(text).toContain("d9");
    expect(live.rendered).toBe(1); // five events, one render
    ac.abort();
    live.close();
    expect((await app.request("/events?view=nope")).status).toBe(400);
  });

  test("viewers of one view share one encoded update, however many watch", async () => {
    const { app, store, bus, live } = setup();
    const ac = new AbortController();
    const readers = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const res = await app.request("/events?view=devices", { signal: ac.signal });
        const reader = res.body!.getReader();
        await reader.read(); // ": connected"
        return reader;
      }),
    );
    store.db.insert(devices).values({ id: "d7", online: true }).run();
    bus.publish({ type: "device" });
    const updates = await Promise.all(readers.map(async (r) => (await r.read()).value!));
    expect(new TextDecoder().decode(updates[0])).toStartWith("event: devices\ndata: ");
    expect(new TextDecoder().decode(updates[0])).toContain("d7");
    // the very same bytes: the event was encoded once for all of them, not once per viewer
    // (with 200 viewers of a ~6 KB Devices page, the encoding was most of a flush's CPU)
    for (const u of updates) expect(u).toBe(updates[0]!);
    expect(live.rendered).toBe(1);
    ac.abort();
    live.close();
  });

  test("a page asked again before any event is served from the last render, an event renders it anew", async () => {
    const { app, store, bus, live } = setup();
    store.db.insert(devices).values({ id: "d1", online: true }).run();
    expect(await (await app.request("/devices")).text()).toContain("d1");
    expect(await (await app.request("/devices")).text()).toContain("d1");
    expect(live.rendered).toBe(1);
    store.db.insert(devices).values({ id: "d2", online: true }).run();
    bus.publish({ type: "device" });
    expect(await (await app.request("/devices")).text()).toContain("d2");
    expect(live.rendered).toBe(2);
    // another view's event leaves it cached; other params are another render
    bus.publish({ type: "person" });
    await app.request("/devices");
    expect(live.rendered).toBe(2);
    await app.request("/devices?type=camera");
    expect(live.rendered).toBe(3);
    live.close();
  });

  test("requests that arrive while a page loads share that one load and render", async () => {
    const { app, store, bus, live } = setup();
    store.db.insert(devices).values({ id: "d1", online: true }).run();
    const pages = await Promise.all(
      Array.from({ length: 5 }, async () => (await app.request("/devices")).text()),
    );
    for (const html of pages) expect(html).toContain("d1");
    expect(live.rendered).toBe(1);
    // an unknown device is not kept: asked again, it is looked for again (and found)
    expect((await app.request("/devices/d2")).status).toBe(404);
    store.db.insert(devices).values({ id: "d2", online: true }).run();
    bus.publish({ type: "device" });
    expect((await app.request("/devices/d2")).status).toBe(200);
    live.close();
  });

  test("a device id holding CR cannot end the SSE event or forge another", async () => {
    const { app, store, bus, live } = setup();
    const ac = new AbortController();
    const res = await app.request("/events?view=devices", { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    const evil = "x\revent: devices\rdata: <h1 id=forged>forged</h1>\r\rretry: 1";
    store.db.insert(devices).values({ id: evil, online: true }).run();
    bus.publish({ type: "device" });
    let text = "";
    while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    // the event stream's own grammar: CR, LF and CRLF each end a line; a blank line ends an event
    const lines = text.slice(0, text.indexOf("\n\n")).split(/\r\n|\r|\n/);
    expect(lines[0]).toBe("event: devices");
    expect(lines.slice(1).filter((l) => !l.startsWith("data: "))).toEqual([]);
    ac.abort();
    live.close();
  });
});
