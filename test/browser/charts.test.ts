/**
 * Rooms and their time charts in Debian's Chromium against `iot serve` fed by `iot simulate`:
 * the list and a room's page render populated with a uPlot canvas; the range picker changes the
 * chart's x range (and the URL); a reading posted to /office_status reaches the open chart
 * within 1 s without a reload, and the live swap keeps the chart's canvas; no console errors;
 * axe-core finds nothing serious.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { seriousAxeViolations } from "../support/axe.ts";
import { launchChromium } from "../support/browser.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { startSimulateProcess, type SimulateProcess } from "../support/simulate-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-charts-");
let serve: ServeProcess;
let sim: SimulateProcess;
let browser: Browser;
let page: Page;
let http: string;
const errors: string[] = [];

/** The chart on the element `selector`, as the page's script exposes it (`el._uplot`). */
interface ChartState {
  xmin: number;
  xmax: number;
  points: number;
  lastX: number | null;
  lastMax: number | null;
  canvases: number;
}
const chartState = (selector: string) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel) as
      | (Element & {
          _uplot?: {
            scales: { x: { min: number; max: number } };
            data: Array<Array<number | null>>;
          };
        })
      | null;
    const u = el?._uplot;
    if (!u) return null;
    const x = u.data[0]!;
    return {
      xmin: u.scales.x.min,
      xmax: u.scales.x.max,
      points: x.length,
      lastX: x.length ? x[x.length - 1]! : null,
      lastMax: u.data[2]!.length ? u.data[2]![u.data[2]!.length - 1]! : null,
      canvases: el.querySelectorAll("canvas").length,
    };
  }, selector) as Promise<ChartState | null>;

const postRoom = (room_no: number, temperature: number, humidity = 40) =>
  fetch(`${http}/office_status`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ room_no, status: { temperature, humidity } }),
  });

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: dirs.make() });
  http = `http://127.0.0.1:${serve.httpPort}`;
  sim = startSimulateProcess(serve, [
    "--interval",
    "200",
    "--image-interval",
    "1000",
    "--video",
    "off",
  ]);
  // the rooms have rules and a few seconds of readings
  await waitFor(
    async () => {
      const rows = (await (await fetch(`${http}/api/rules`)).json()) as unknown[];
      const series = (await (
        await fetch(`${http}/api/series?room_no=1&since=${Date.now() - 60_000}&bucket_ms=1000`)
      ).json()) as {
        t: number[];
      };
      return rows.length > 0 && series.t.length >= 5;
    },
    30_000,
    "the simulated rooms' rules and readings",
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (m) => {
    // Chromium asks for /favicon.ico by itself; that is the layout's business, not a chart's
    if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico"))
      errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico"))
      errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
  await serve?.stop();
  dirs.cleanup();
});

describe("room charts in Chromium", () => {
  test("the rooms list shows each room's values with units, rules and a drawn chart", async () => {
    await page.goto(`${http}/rooms`);
    const card = page.locator('[data-testid="room-1"]');
    await card.locator(".time-chart canvas").first().waitFor({ timeout: 5000 });
    await page.waitForFunction(
      () => Number(document.querySelector("#room-1-card-chart")?.getAttribute("data-points")) > 0,
      undefined,
      { timeout: 5000 },
    );
    expect(await card.textContent()).toMatch(/\d °C/);
    expect(await card.textContent()).toMatch(/\d %/);
    expect(await card.locator('a[href="/rooms/1"]').count()).toBe(1);
    expect(await page.locator('[data-testid="rule-1-1"]').textContent()).toContain(
      "max temperature ≤ 30",
    );
    const chart = await chartState("#room-1-card-chart");
    expect(chart!.points).toBeGreaterThan(0);
    expect(Math.round(chart!.xmax - chart!.xmin)).toBe(6 * 3600); // a card shows 6 h
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test("a room's page: chart, its rules with the window value each compares, the editor", async () => {
    await page.goto(`${http}/rooms/1`);
    await page.locator("#room-1-chart canvas").first().waitFor({ timeout: 5000 });
    await page.waitForFunction(
      () => Number(document.querySelector("#room-1-chart")?.getAttribute("data-points")) > 0,
      undefined,
      { timeout: 5000 },
    );
    const now = await page.locator('[data-testid="rule-1-1-temperature"] td').nth(2).textContent();
    expect(now).toMatch(/^max \d+(\.\d)? °C$/);
    expect(
      await page.locator('form[hx-post="/office_rule"] input[name="room_no"]').inputValue(),
    ).toBe("1");
    // the hover read-out says the values with their units
    expect(await page.locator("#room-1-chart .chart-readout").textContent()).toMatch(
      /Temperature \d+(\.\d)? °C.*Humidity \d+(\.\d)? %/,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test("an unknown room is a 404 page", async () => {
    expect((await fetch(`${http}/rooms/987`)).status).toBe(404);
    expect((await fetch(`${http}/rooms/abc`)).status).toBe(404);
  });

  test("the range picker changes the chart's x range and the URL", async () => {
    await page.goto(`${http}/rooms/1`);
    await page.locator("#room-1-chart canvas").first().waitFor({ timeout: 5000 });
    await page.waitForFunction(() => !!(document.querySelector("#room-1-chart") as any)?._uplot);
    const span = async () => {
      const s = await chartState("#room-1-chart");
      return s ? Math.round(s.xmax - s.xmin) : 0;
    };
    expect(await span()).toBe(86_400); // 24 h by default
    for (const [range, seconds] of [
      ["1h", 3600],
      ["7d", 7 * 86_400],
      ["30d", 30 * 86_400],
    ] as const) {
      await page.click(`#room-1-chart [data-range-pick="${range}"]`);
      await page.waitForFunction(
        (want) => {
          const u = (document.querySelector("#room-1-chart") as any)?._uplot;
          return u && Math.round(u.scales.x.max - u.scales.x.min) === want;
        },
        seconds,
        { timeout: 3000 },
      );
      expect(new URL(page.url()).searchParams.get("range")).toBe(range);
      expect(await page.locator(`[data-range-pick="${range}"]`).getAttribute("aria-current")).toBe(
        "true",
      );
    }
    // the URL's range is the page's range
    await page.goto(`${http}/rooms/1?range=6h`);
    await page.waitForFunction(() => {
      const u = (document.querySelector("#room-1-chart") as any)?._uplot;
      return u && Math.round(u.scales.x.max - u.scales.x.min) === 6 * 3600;
    });
  });

  test("a reading posted to /office_status shows on the open chart within 1 s, canvas kept", async () => {
    // a room the simulator does not feed: only this test's readings are in it
    for (const t of [20, 21, 22]) expect((await postRoom(77, t)).status).toBe(200);
    await waitFor(async () => (await fetch(`${http}/rooms/77`)).status === 200, 10_000, "room 77");
    await page.goto(`${http}/rooms/77?range=1h`);
    await page.waitForFunction(
      () => Number(document.querySelector("#room-77-chart")?.getAttribute("data-points")) > 0,
      undefined,
      { timeout: 5000 },
    );
    // marks a reload or a swapped canvas would lose
    await page.evaluate(() => {
      (window as any).notReloaded = true;
      (document.querySelector("#room-77-chart canvas") as any).kept = true;
    });
    await page.waitForTimeout(300); // the page's SSE stream is open
    const before = (await chartState("#room-77-chart"))!;
    // within 1 s of the collector's answer (which comes once Kafka has the reading)
    expect((await postRoom(77, 33.3)).status).toBe(200);
    await page.waitForFunction(
      () => {
        const u = (document.querySelector("#room-77-chart") as any)?._uplot;
        const max = u?.data[2];
        return max && max[max.length - 1] === 33.3;
      },
      undefined,
      { timeout: 1000 },
    );
    const after = (await chartState("#room-77-chart"))!;
    expect(after.lastMax).toBe(33.3);
    expect(after.lastX!).toBeGreaterThanOrEqual(before.lastX!);
    expect(
      await page.evaluate(() => [
        (window as any).notReloaded,
        (document.querySelector("#room-77-chart canvas") as any).kept,
      ]),
    ).toEqual([true, true]);
    // the room's own page was re-rendered live meanwhile (values outside the chart)
    await page.waitForFunction(
      () => document.querySelector('[data-testid="room-77"]')?.textContent?.includes("33.3 °C"),
      undefined,
      { timeout: 2000 },
    );
  });

  test("boosted navigation from the list to a room draws its chart", async () => {
    await page.goto(`${http}/rooms`);
    await page.locator("#room-2-card-chart canvas").first().waitFor({ timeout: 5000 });
    await page.evaluate(() => ((window as any).notReloaded = true));
    await page.click('a[href="/rooms/2"]');
    await page.waitForFunction(
      () => Number(document.querySelector("#room-2-chart")?.getAttribute("data-points")) > 0,
      undefined,
      { timeout: 5000 },
    );
    expect(await page.evaluate(() => (window as any).notReloaded)).toBe(true); // htmx boost
    expect((await chartState("#room-2-chart"))!.canvases).toBeGreaterThan(0);
  });

  test("no console errors on any of it", () => {
    expect(errors).toEqual([]);
  });
});
