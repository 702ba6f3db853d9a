/**
 * The console's design system and shell, Overview and People in Chromium against a real
 * `iot serve` fed by `iot simulate`: every page renders populated, the navigation marks the
 * current page, dark mode follows the system and the toggle is remembered, a phone gets no
 * sideways scrolling, unknown pages are a 404 inside the layout (JSON for the API and for
 * clients that do not ask for HTML), a wrong method on an API route is 405 with Allow, no page
 * logs a console error, and axe finds no serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { seriousAxeViolations } from "../support/axe.ts";
import { collectPageErrors, launchChromium } from "../support/browser.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { startSimulateProcess, type SimulateProcess } from "../support/simulate-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-design-");
let serve: ServeProcess;
let sim: SimulateProcess;
let browser: Browser;
let http: string;
let person: string;

const ours = ["/", "/people"];
const others = ["/rooms", "/devices", "/bins", "/cameras", "/alerts"];

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: dirs.make() });
  http = `http://127.0.0.1:${serve.httpPort}`;
  sim = startSimulateProcess(serve, [
    "--interval",
    "1000",
    "--image-interval",
    "1000",
    "--rooms",
    "3",
    "--people",
    "6",
  ]);
  browser = await launchChromium();
  // populated: devices, rooms, people who moved, bins
  await waitFor(
    async () => {
      const [devices, rooms, people] = await Promise.all(
        ["devices", "rooms", "people"].map(async (k) => (await fetch(`${http}/api/${k}`)).json()),
      );
      const moved = (people as Array<{ name: string; state: string }>).find(
        (p) => p.state === "out",
      );
      if (moved) person = moved.name;
      return devices.length > 0 && rooms.length >= 3 && moved !== undefined;
    },
    45_000,
    "a populated fleet",
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
  await serve?.stop();
  dirs.cleanup();
});

async function open(path: string, opts: Parameters<Browser["newPage"]>[0] = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...opts });
  const errors = collectPageErrors(page);
  const res = await page.goto(`${http}${path}`);
  await page.waitForLoadState("load");
  return { page, errors, status: res!.status() };
}

const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe("design system and shell in Chromium", () => {
  test("Overview: tiles and cards populated, every item links to its page", async () => {
    const { page, errors, status } = await open("/");
    expect(status).toBe(200);
    expect(Number(await page.locator('[data-testid="online"]').textContent())).toBeGreaterThan(0);
    // the rooms card links each room to its page, values shown
    const room = page.locator('[data-testid="rooms"] a[href^="/rooms/"]');
    expect(await room.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid="rooms"]').textContent()).toContain("°C");
    // the open alert count is the store's, and the list links each alert
    const shown = Number(await page.locator('[data-testid="open-count"]').textContent());
    expect(await page.locator('[data-testid="open-alerts"] a[href^="/alerts/"]').count()).toBe(
      Math.min(5, shown),
    );
    expect(await page.locator('[data-testid="pipeline"] [data-testid^="component-"]').count()).toBe(
      Object.keys((await (await fetch(`${http}/healthz`)).json()).components).length,
    );
    expect(await page.locator('[data-testid="tile-people"]').textContent()).toMatch(/out/);
    expect(await page.locator('[data-testid="bins"] li').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  test("People: in/out badges, time away against the median, each links to the person", async () => {
    const { page, errors } = await open("/people");
    const row = page.locator(`[data-testid="person-${person}"]`);
    await row.waitFor({ timeout: 5000 });
    expect(await row.locator(".badge-out, .badge-in").count()).toBe(1);
    expect(await row.textContent()).toMatch(/median|—/);
    expect(await row.locator("a").getAttribute("href")).toBe(
      `/people/${encodeURIComponent(person)}`,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  test("a person's page: today's timeline of in/out spans and recent events; unknown → 404", async () => {
    const { page, errors, status } = await open(`/people/${encodeURIComponent(person)}`);
    expect(status).toBe(200);
    expect(await page.locator("h1").textContent()).toBe(person);
    // they went out today: the timeline has an out span, and the events table lists it
    expect(
      await page.locator('[data-testid="timeline"] rect[data-state="out"]').count(),
    ).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="recent-events"] .badge-out').count()).toBeGreaterThan(
      0,
    );
    expect(await page.locator('[data-testid="away-today"]').textContent()).toMatch(/\d+ (s|min)/);
    expect(errors).toEqual([]);
    await page.close();
    const missing = await fetch(`${http}/people/no-such-person`, {
      headers: { accept: "text/html" },
    });
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain('data-testid="error-page"');
    expect(html).toContain('class="site-nav"');
  }, 150_000);

  test("the navigation marks the current page, also on a detail page", async () => {
    for (const [path, label] of [
      ["/", "Overview"],
      ["/people", "People"],
      [`/people/${encodeURIComponent(person)}`, "People"],
      ["/rooms", "Rooms"],
      ["/alerts", "Alerts"],
    ]) {
      const { page } = await open(path!);
      const current = page.locator('nav[aria-label="Main"] a[aria-current="page"]');
      expect(await current.count()).toBe(1);
      expect(await current.textContent()).toBe(label!);
      await page.close();
    }
  }, 150_000);

  test("dark mode follows the system; the toggle's choice survives a reload", async () => {
    const light = await open("/", { colorScheme: "light" });
    const lightBg = await background(light.page);
    await light.page.close();
    const dark = await open("/", { colorScheme: "dark" });
    const darkBg = await background(dark.page);
    expect(darkBg).not.toBe(lightBg);
    expect(darkBg).toBe("rgb(14, 17, 22)");
    expect(lightBg).toBe("rgb(243, 244, 246)");
    await dark.page.close();

    // a light system, the user picks dark: remembered across a reload and another page
    const context = await browser.newContext({ colorScheme: "light" });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${http}/people`);
    const toggle = page.locator("[data-theme-toggle]");
    await toggle.click();
    expect(await background(page)).toBe(darkBg);
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await background(page)).toBe(darkBg);
    await page.goto(`${http}/`);
    expect(await background(page)).toBe(darkBg);
    await page.locator("[data-theme-toggle]").click();
    await page.reload();
    expect(await background(page)).toBe(lightBg);
    expect(errors).toEqual([]);
    await context.close();
  }, 150_000);

  test("a phone: no page of the console scrolls sideways", async () => {
    for (const path of [...ours, `/people/${encodeURIComponent(person)}`, ...others]) {
      const { page } = await open(path, { viewport: { width: 390, height: 844 } });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await page.close();
    }
  }, 150_000);

  test("an unknown page: HTML in the layout for a browser, JSON for the API and for scripts", async () => {
    const { page, status } = await open("/no/such/page");
    expect(status).toBe(404);
    expect(await page.locator('[data-testid="error-page"] h1').textContent()).toBe(
      "Page not found",
    );
    expect(await page.locator('nav[aria-label="Main"]').count()).toBe(1);
    expect(await page.title()).toContain("Not found");
    await page.close();

    const api = await fetch(`${http}/api/nope`, { headers: { accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/json");
    expect((await api.json()).message).toContain("/api/nope");

    const script = await fetch(`${http}/no/such/page`, {
      headers: { accept: "application/json" },
    });
    expect(script.status).toBe(404);
    expect(await script.json()).toEqual({ message: "/no/such/page: not found" });
  }, 150_000);

  test("a wrong method on an API route: 405 JSON with Allow", async () => {
    const res = await fetch(`${http}/api/devices`, {
      method: "DELETE",
      headers: { origin: http },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect((await res.json()).message).toContain("not allowed");
    const ack = await fetch(`${http}/api/alerts/1/ack`);
    expect(ack.status).toBe(405);
    expect(ack.headers.get("allow")).toBe("POST");
  }, 150_000);

  test("the favicon, theme script and stylesheet come from the binary", async () => {
    for (const [asset, type] of [
      ["favicon.svg", "image/svg+xml"],
      ["theme.js", "javascript"],
      ["app.css", "text/css"],
    ]) {
      const res = await fetch(`${http}/static/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(type!);
    }
  }, 150_000);

  test("axe: no serious or critical violation on our pages, light and dark", async () => {
    // one page, both schemes per load: each load is slow on a busy machine
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const path of [...ours, `/people/${encodeURIComponent(person)}`, "/login", "/nope"]) {
      await page.goto(`${http}${path}`);
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        expect({ path, colorScheme, v: await seriousAxeViolations(page) }).toEqual({
          path,
          colorScheme,
          v: [],
        });
      }
    }
    await page.close();
  }, 150_000);

  test("axe and console on the other parts' pages, in the new shell", async () => {
    const found: Record<string, unknown> = {};
    for (const path of others) {
      const { page, errors } = await open(path);
      const v = await seriousAxeViolations(page);
      if (v.length || errors.length) found[path] = { axe: v, errors };
      await page.close();
    }
    expect(found).toEqual({});
  }, 150_000);
});
