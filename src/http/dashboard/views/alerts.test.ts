import { describe, expect, test } from "bun:test";
import { EventBus } from "../../../events/index.ts";
import { Health } from "../../../health/index.ts";
import { MetricsRegistry } from "../../../metrics/index.ts";
import { openStore } from "../../../store/index.ts";
import { sqliteEngine } from "../../../store/engine/index.ts";
import { alertRows } from "../../../store/alerts.ts";
import { people } from "../../../store/schema.ts";
import { dashboardRoutes } from "../routes.tsx";

function setup() {
  const store = openStore(":memory:");
  const now = 10 * 3_600_000;
  const { app, live } = dashboardRoutes({
    store: sqliteEngine(store.db),
    health: new Health(),
    bus: new EventBus(),
    version: "t",
    metrics: new MetricsRegistry(),
    videoSources: () => [],
    now: () => now,
  });
  live.close();
  return { app, store, now, rows: alertRows(store.db) };
}

describe("the Alerts pages", () => {
  test("the live stream carries the page's filter; a query it cannot use is said, not applied", async () => {
    const { app, rows } = setup();
    rows.open("bin-full", "bin 3", "bin 3 is FULL", "warning", 1);
    const html = await (await app.request("/alerts?kind=bin-full&room=")).text();
    expect(html).toContain('sse-connect="/events?kind=bin-full&amp;room=&amp;view=alerts"');
    const bad = await app.request("/alerts?state=bogus");
    expect(bad.status).toBe(200);
    const text = await bad.text();
    expect(text).toContain("Filter not applied — state: expected open");
    expect(text).toContain('href="/alerts/1"');
  });

  test("an open away alert shows the time away as of now, not as stored", async () => {
    const { app, store, now, rows } = setup();
    const day = new Date(now).toLocaleDateString("sv-SE");
    store.db
      .insert(people)
      .values({ name: "jane", state: "out", since: now - 95 * 60_000, day, awayMsToday: 0 })
      .run();
    const id = rows.open(
      "away-too-long",
      "jane",
      "jane has been away 31 min today (limit 30 min: 3× the group's median, at least 30)",
      "warning",
      now - 64 * 60_000,
    );
    for (const path of ["/alerts", `/alerts/${id}`]) {
      const html = await (await app.request(path)).text();
      expect(html).toContain("jane has been away 95 min today (limit 30 min");
      expect(html).not.toContain("away 31 min");
    }
    const detail = await (await app.request(`/alerts/${id}`)).text();
    expect(detail).toContain('<section id="deliveries"');
    expect(detail).toContain('href="/people/jane"');
  });

  test("an unknown alert is a 404 page in the layout", async () => {
    const { app } = setup();
    for (const path of ["/alerts/42", "/alerts/abc"]) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("No alert");
    }
  });
});
