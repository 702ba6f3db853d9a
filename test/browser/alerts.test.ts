/**
 * Alerts for triage in Chromium against a real `iot serve` fed over its real wire contracts:
 * bin 3 FULL again and again over MQTT `hello/world`, other bins full, room rules breached via
 * /office_rule + /office_status, a person away via /entrance. Open alerts come first, repeats are
 * one group with their count, filters narrow the list and survive a live update, bulk
 * acknowledge moves alerts on, pages page; an alert's own page; no console error; axe clean.
 * `ALERT_SHOTS=/tmp/dir` also takes screenshots there (desktop, phone; light, dark).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { seriousAxeViolations } from "../support/axe.ts";
import { collectPageErrors, launchChromium } from "../support/browser.ts";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-alerts-browser-");
const shots = process.env.ALERT_SHOTS;
const BIN3_REPEATS = 12;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let errors: string[];
let http: string;

const post = (path: string, body: unknown) =>
  fetch(`${http}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const api = async <T>(path: string): Promise<T> => (await fetch(`${http}${path}`)).json() as T;
const openCount = async () => (await api<{ count: number }>("/api/alerts/count?state=open")).count;

const rule = (room_no: number, up: number) =>
  post("/office_rule", {
    room_no,
    value: {
      schedule_id: 1,
      order: "insert",
      condition: { temperature: { agg_type: "max", up, down: null } },
    },
  });

/**
 * The bin-level Pi's text payloads over MQTT, one at a time: `hello/world` is unkeyed, so its
 * Kafka records spread over partitions and two in flight may be handled in either order.
 */
async function publishBins(lines: string[]) {
  for (const line of lines) {
    const stored = (await api<unknown[]>("/api/bins?limit=10000")).length;
    const r = await run([
      "mosquitto_pub",
      "-p",
      String(serve.mqttPort),
      "-q",
      "1",
      "-t",
      "hello/world",
      "-m",
      line,
    ]);
    expect(r.code).toBe(0);
    await waitFor(
      async () => (await api<unknown[]>("/api/bins?limit=10000")).length > stored,
      10_000,
      `bin level '${line}' stored`,
    );
  }
}

beforeAll(async () => {
  serve = await startServeProcess({
    dataDir: dirs.make(),
    args: ["--presence-min-away-seconds", "1"],
  });
  http = `http://127.0.0.1:${serve.httpPort}`;
  const at = (i: number) =>
    `2026-12-01 ${String(8 + Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00`;
  const lines: string[] = [];
  // bin 3 fills and is emptied again and again, and is full now
  for (let i = 0; i < BIN3_REPEATS; i++) lines.push(`FULL 3 ${at(2 * i)}`, `10 3 ${at(2 * i + 1)}`);
  lines.push(`FULL 3 ${at(2 * BIN3_REPEATS)}`);
  for (let b = 4; b <= 9; b++) lines.push(`FULL ${b} ${at(100 + b)}`); // full now
  for (let b = 10; b <= 14; b++) lines.push(`FULL ${b} ${at(120 + b)}`, `5 ${b} ${at(140 + b)}`);
  await publishBins(lines);
  for (const room of [1, 2]) {
    expect((await rule(room, 20)).status).toBe(200);
    expect(
      (await post("/office_status", { room_no: room, status: { temperature: 30, humidity: 40 } }))
        .status,
    ).toBe(200);
  }
  for (const [name, value] of [
    ["bob", "in"],
    ["ann", "in"],
    ["jane", "out"],
  ])
    expect((await post("/entrance", { name, value })).status).toBe(200);
  // 7 bins + 2 rooms + jane open; bin 3's earlier ones and bins 10..14 cleared
  await waitFor(async () => (await openCount()) === 10, 40_000, "10 open alerts");
  await waitFor(
    async () =>
      (await api<{ count: number }>("/api/alerts/count?state=cleared")).count === BIN3_REPEATS + 5,
    40_000,
    "the cleared alerts",
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // the browser's own /favicon.ico request (not this page's; the layout names no icon yet)
  await browser.contexts()[0]!.route("**/favicon.ico", (r) => r.fulfill({ status: 204 }));
  errors = collectPageErrors(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dirs.cleanup();
});

const rows = (p: Page = page) =>
  p.$$eval("tr.alert-row", (trs) =>
    trs.map((tr) => ({
      state: tr.querySelector(".badge-open, .badge-acknowledged, .badge-cleared")!.textContent!,
      what: tr.querySelector(".alert-kind")!.textContent!,
      count: tr.querySelector('[data-testid="count"]')!.textContent!,
    })),
  );
const htmxReady = (p: Page = page) =>
  p.waitForFunction(() => (window as unknown as { htmx?: unknown }).htmx !== undefined);

describe("Alerts for triage", () => {
  test("open alerts first, then acknowledged, then cleared; repeats grouped with their count", async () => {
    await page.goto(`${http}/alerts`);
    const listed = await rows();
    const ranks = listed.map((r) => ["open", "acknowledged", "cleared"].indexOf(r.state));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(listed.slice(0, 10).every((r) => r.state === "open")).toBe(true);
    // bin 3: one open alert now, and its 30 earlier ones as one cleared line ×30
    const bin3 = listed.filter((r) => r.what === "bin-full · bin 3");
    expect(bin3).toEqual([
      { state: "open", what: "bin-full · bin 3", count: "×1" },
      { state: "cleared", what: "bin-full · bin 3", count: `×${BIN3_REPEATS}` },
    ]);
    expect(await page.textContent('[data-testid="open-count"]')).toBe("10");
    // 10 open groups + bin 3's and bins 10..14's cleared groups
    expect(await page.textContent('[data-testid="range"]')).toMatch(
      `1–16 of 16 groups (${BIN3_REPEATS + 15} alerts)`,
    );
    // jane's message is told from her time away now
    expect(await page.textContent("tbody")).toMatch(/jane has been away \d+ min today \(limit/);
    await htmxReady();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("filters narrow the list, and a live update keeps them", async () => {
    await page.goto(`${http}/alerts`);
    await htmxReady();
    await page.selectOption('select[name="kind"]', "room-rule");
    await page.waitForURL(/kind=room-rule/);
    await page.waitForFunction(() => document.querySelectorAll("tr.alert-row").length === 2);
    expect((await rows()).map((r) => r.what).sort()).toEqual([
      "room-rule · room 1 rule 1",
      "room-rule · room 2 rule 1",
    ]);
    // live: room 3 breaches its rule (the page shows it) while bin 15 fills (which it must not
    // show): the stream renders with the page's filter, without a reload
    await page.waitForTimeout(300); // the SSE connection of the filtered page is open
    await page.evaluate(() => ((window as unknown as { stay?: boolean }).stay = true));
    await publishBins(["FULL 15 2026-12-01 11:00:00"]);
    await rule(3, 20);
    await post("/office_status", { room_no: 3, status: { temperature: 35, humidity: 40 } });
    await page.waitForFunction(
      () => document.querySelectorAll("tr.alert-row").length === 3,
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { stay?: boolean }).stay)).toBe(true);
    expect((await rows()).map((r) => r.what).sort()).toEqual([
      "room-rule · room 1 rule 1",
      "room-rule · room 2 rule 1",
      "room-rule · room 3 rule 1",
    ]);
    expect(await page.inputValue('select[name="kind"]')).toBe("room-rule");
    expect(await openCount()).toBe(12); // bin 15 and room 3 opened
    // and a second filter on top of the first
    await page.selectOption('select[name="room"]', "2");
    await page.waitForURL(/room=2/);
    await page.waitForFunction(() => document.querySelectorAll("tr.alert-row").length === 1);
    expect(page.url()).toContain("kind=room-rule");
    expect((await rows()).map((r) => r.what)).toEqual(["room-rule · room 2 rule 1"]);
    expect(errors).toEqual([]);
  });

  test("bulk acknowledge: ticks survive a live update; ticked groups move to acknowledged", async () => {
    await page.goto(`${http}/alerts?state=open&kind=bin-full`);
    await htmxReady();
    await page.waitForTimeout(300); // the SSE connection is open
    const picks = page.locator('tr.alert-row input[type="checkbox"]');
    const n = (await api<{ total_groups: number }>("/api/alerts/groups?state=open&kind=bin-full"))
      .total_groups;
    expect(n).toBeGreaterThanOrEqual(7); // bins 3..9 (and 15 after the filters test)
    expect(await picks.count()).toBe(n);
    await picks.nth(0).check();
    await picks.nth(1).check();
    const ticked = () =>
      page.$$eval('tr.alert-row input[type="checkbox"]:checked', (els) => els.map((e) => e.id));
    const before = await ticked();
    expect(before).toHaveLength(2);
    // bin 16 fills: the list is rendered again, live, with one more row
    await publishBins(["FULL 16 2026-12-01 11:30:00"]);
    await page.waitForFunction(
      (n) => document.querySelectorAll("tr.alert-row").length === n + 1,
      n,
    );
    expect(await ticked()).toEqual(before);
    const open = await openCount();
    await page.click("text=Acknowledge selected");
    await page.waitForFunction(
      (n) => document.querySelectorAll("tr.alert-row").length === n - 1,
      n,
    );
    expect(await openCount()).toBe(open - 2);
    await page.goto(`${http}/alerts?state=acknowledged`);
    expect((await rows()).map((r) => r.state)).toEqual(["acknowledged", "acknowledged"]);
    expect(errors).toEqual([]);
  });

  test("pages: a page size, the real total, next and previous", async () => {
    await page.goto(`${http}/alerts?size=5`);
    await htmxReady();
    const total = (await api<{ total_groups: number }>("/api/alerts/groups?size=5")).total_groups;
    const pages = Math.ceil(total / 5);
    expect(await page.textContent(".pager")).toContain(`Page 1 of ${pages}`);
    const first = await rows();
    expect(first).toHaveLength(5);
    await page.click("text=Older ›");
    await page.waitForURL(/page=2/);
    expect(await page.textContent(".pager")).toContain(`Page 2 of ${pages}`);
    expect(await page.textContent('[data-testid="range"]')).toContain(`6–10 of ${total} groups`);
    const second = await rows();
    expect(second.map((r) => r.what + r.state)).not.toEqual(first.map((r) => r.what + r.state));
    expect(page.url()).toContain("size=5");
    expect(errors).toEqual([]);
  });

  test("an alert's page: fields, its history, links, acknowledge; an unknown id is 404", async () => {
    await page.goto(`${http}/alerts?kind=bin-full&state=cleared`);
    await page.click('tr.alert-row:has-text("bin 3") .alert-what a');
    await page.waitForURL(/\/alerts\/\d+$/);
    expect(await page.textContent("h1")).toContain("bin 3");
    expect(await page.textContent(".alert-history h2")).toContain(
      `fired ${BIN3_REPEATS + 1} times`,
    );
    expect(await page.locator(".alert-history tbody tr").count()).toBe(BIN3_REPEATS + 1);
    expect(await page.getAttribute('dd a[href="/bins"]', "href")).toBe("/bins");
    expect(await page.locator("section#deliveries").count()).toBe(1);
    await htmxReady();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // the room alert that is still open: its page acknowledges it
    const open = await api<{ groups: Array<{ last_id: number }> }>(
      "/api/alerts/groups?kind=room-rule&state=open&room=1",
    );
    await page.goto(`${http}/alerts/${open.groups[0]!.last_id}`);
    expect(await page.getAttribute('dd a[href="/rooms/1"]', "href")).toBe("/rooms/1");
    await htmxReady();
    await page.click('button:has-text("Acknowledge")');
    await page.waitForFunction(() => document.querySelector(".page-head .badge-acknowledged"));
    const res = await fetch(`${http}/alerts/999999`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("No alert 999999");
    expect(errors).toEqual([]);
  });

  test("without JavaScript: the filter form and bulk acknowledge still work", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await ctx.newPage();
      await p.goto(`${http}/alerts`);
      await p.selectOption('select[name="state"]', "open");
      await p.selectOption('select[name="kind"]', "away-too-long");
      await p.click('button:has-text("Apply")');
      await p.waitForURL(/state=open&kind=away-too-long/);
      expect((await rows(p)).map((r) => r.what)).toEqual(["away-too-long · jane"]);
      await p.check('tr.alert-row input[type="checkbox"]');
      await p.click('button:has-text("Clear selected")');
      await p.waitForURL(/state=open&kind=away-too-long/);
      expect(await rows(p)).toEqual([]);
      const jane = await api<{ groups: Array<{ state: string }> }>(
        "/api/alerts/groups?kind=away-too-long",
      );
      expect(jane.groups[0]!.state).toBe("cleared");
    } finally {
      await ctx.close();
    }
  });

  test("screenshots (only with ALERT_SHOTS)", async () => {
    if (!shots) return;
    for (const scheme of ["light", "dark"] as const) {
      for (const [name, viewport] of [
        ["desktop", { width: 1440, height: 900 }],
        ["phone", { width: 390, height: 844 }],
      ] as const) {
        const p = await browser.newPage({ viewport, colorScheme: scheme });
        await p.goto(`${http}/alerts`);
        await p.screenshot({ path: `${shots}/alerts-${name}-${scheme}.png`, fullPage: true });
        await p.click('tr.alert-row:has-text("bin 3") .alert-what a >> nth=0');
        await p.waitForURL(/\/alerts\/\d+$/);
        await p.screenshot({ path: `${shots}/alert-${name}-${scheme}.png`, fullPage: true });
        await p.close();
      }
    }
  });
});
