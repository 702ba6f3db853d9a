/**
 * Devices, map, device page, bins and cameras in Chromium, against `iot serve` fed by
 * `iot simulate` (coffee devices, bins, a camera) and by direct publishes: every page renders
 * populated with no console error and no serious axe violation; the filters; the map's grid and
 * labels inside its box; the toggle's immediate feedback; a never-seen device; rename; delete
 * with its data (files gone from disk); the video placeholder, then the live picture.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { seriousAxeViolations } from "../support/axe.ts";
import { collectPageErrors, launchChromium } from "../support/browser.ts";
import { tinyJpeg } from "../support/jpeg.ts";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { startSimulateProcess, type SimulateProcess } from "../support/simulate-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-devices-");
let dataDir: string;
let serve: ServeProcess;
let sim: SimulateProcess;
let browser: Browser;
let http: string;

interface ApiDevice {
  id: string;
  name: string | null;
  kind: string;
  last_seen: number | null;
  desired_status: string | null;
}
const api = async <T>(path: string): Promise<T> => (await fetch(`${http}${path}`)).json() as T;
const apiDevices = () => api<ApiDevice[]>("/api/devices");
const coffeeIds = async () =>
  (await apiDevices()).filter((d) => d.kind === "coffee" && d.id !== FAR).map((d) => d.id);

const mqttPub = (topic: string, args: string[]) =>
  run(["mosquitto_pub", "-p", String(serve.mqttPort), "-q", "1", "-t", topic, ...args]);

/** A device far from the others with a long name: its label sits at the map's right edge. */
const FAR = "far-east-coffee-with-a-rather-long-name";

beforeAll(async () => {
  dataDir = dirs.make();
  serve = await startServeProcess({ dataDir });
  http = `http://127.0.0.1:${serve.httpPort}`;
  sim = startSimulateProcess(serve, [
    ...["--rooms", "0", "--people", "0", "--coffee", "3", "--bins", "3"],
    ...["--video", "off", "--interval", "200", "--image-interval", "1000"],
  ]);
  await waitFor(async () => (await coffeeIds()).length === 3, 30_000, "3 coffee devices");
  await waitFor(
    async () => (await api<unknown[]>("/api/images?device_id=sim-cam-1")).length >= 3,
    30_000,
    "the camera's snapshots",
  );
  await waitFor(async () => (await api<unknown[]>("/api/bins")).length >= 6, 30_000, "bins");
  await mqttPub("coffee", ["-m", JSON.stringify({ id: FAR, x: 400, y: -120, status: "Active" })]);
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
  await serve?.stop();
  dirs.cleanup();
});

/** A fresh page that records console errors; `check()` asserts none and no serious axe finding. */
async function open(path: string, viewport = { width: 1440, height: 900 }) {
  const page = await browser.newPage({ viewport });
  // the layout has no icon yet (the design part's): its 404 is not this part's error
  await page.route("**/favicon.ico", (r) => r.fulfill({ status: 204 }));
  const errors = collectPageErrors(page);
  await page.goto(`${http}${path}`);
  await page.waitForFunction(() => (window as unknown as { htmx?: unknown }).htmx !== undefined);
  return {
    page,
    async check() {
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    },
  };
}

const rowsOf = (page: Page) => page.locator('tr[data-testid^="device-"]');

describe("devices in Chromium", () => {
  test("the list shows every device with its type, state and last seen", async () => {
    const { page, check } = await open("/devices");
    for (const id of await coffeeIds()) {
      const row = page.locator(`[data-testid="device-${id}"]`);
      expect(await row.getAttribute("data-type")).toBe("coffee");
      expect(await row.locator(".badge").textContent()).toBe("online");
      expect(await row.locator("time").count()).toBe(1); // last seen, as <Ago>
    }
    const cam = page.locator('[data-testid="device-sim-cam-1"]');
    expect(await cam.getAttribute("data-type")).toBe("camera");
    await check();
    await page.close();
  });

  test("the map has a grid, a scale, trails, and every label inside its box", async () => {
    const { page, check } = await open("/devices");
    await page.locator(`[data-testid="dot-${FAR}"]`).waitFor();
    expect(await page.locator('[data-testid="map-grid"] line').count()).toBeGreaterThan(6);
    expect(await page.locator('[data-testid="map-scale"] text').textContent()).toMatch(/units?$/);
    await page.waitForFunction(() => document.querySelectorAll(".map-trail").length >= 3, null, {
      timeout: 10_000,
    });
    const outside = await page.evaluate(() => {
      const svg = document.querySelector('[data-testid="map"]') as SVGSVGElement;
      const vb = svg.viewBox.baseVal;
      const texts = Array.from(svg.querySelectorAll<SVGTextElement>("text"));
      return {
        labels: texts.filter((t) => t.classList.contains("map-label")).length,
        outside: texts
          .map((t) => ({ text: t.textContent, box: t.getBBox() }))
          .filter(
            ({ box }) =>
              box.x < vb.x ||
              box.y < vb.y ||
              box.x + box.width > vb.x + vb.width ||
              box.y + box.height > vb.y + vb.height,
          )
          .map((t) => t.text),
      };
    });
    expect(outside.labels).toBe(4);
    expect(outside.outside).toEqual([]);
    // the map uses the card's width
    const width = await page.evaluate(
      () => document.querySelector('[data-testid="map"]')!.getBoundingClientRect().width,
    );
    expect(width).toBeGreaterThan(900);
    await check();
    await page.close();
  });

  test("filters: by type with the form, by state from the URL", async () => {
    const { page, check } = await open("/devices");
    await page.selectOption('[data-testid="device-filters"] select[name="type"]', "coffee");
    await page.click('[data-testid="device-filters"] button[type="submit"]');
    await page.waitForURL(/type=coffee/);
    await page.waitForFunction(
      () => !document.querySelector('tr[data-testid="device-sim-cam-1"]'),
      null,
      { timeout: 5000 },
    );
    const types = await rowsOf(page).evaluateAll((rows) => rows.map((r) => r.dataset.type));
    expect(types.length).toBe(4);
    expect(new Set(types)).toEqual(new Set(["coffee"]));
    await check();
    await page.goto(`${http}/devices?state=never`);
    expect(await rowsOf(page).count()).toBe(0);
    await page.getByText("No device matches these filters").waitFor();
    await page.goto(`${http}/devices?type=camera&state=online`);
    expect(await rowsOf(page).evaluateAll((r) => r.map((e) => e.dataset.testid))).toEqual([
      "device-sim-cam-1",
    ]);
    await page.close();
  });

  test("the toggle shows the new desired status on its answer, without the live update", async () => {
    const page = await browser.newPage();
    // no SSE: only the toggle's own answer can change the row
    await page.route("**/events?**", (r) => r.abort());
    await page.goto(`${http}/devices`);
    await page.waitForFunction(() => (window as unknown as { htmx?: unknown }).htmx !== undefined);
    const id = (await coffeeIds())[0]!;
    const row = page.locator(`[data-testid="device-${id}"]`);
    const answered = page.waitForResponse((r) => r.url().endsWith(`/status/${id}`));
    await row.getByRole("button", { name: "Set Inactive" }).click();
    expect((await answered).status()).toBe(200);
    await row.getByRole("button", { name: "Set Active" }).waitFor({ timeout: 2000 });
    expect(await row.locator(".desired").textContent()).toContain("→ Inactive");
    // and back, from the same (never re-rendered) row
    await row.getByRole("button", { name: "Set Active" }).click();
    await row.getByRole("button", { name: "Set Inactive" }).waitFor({ timeout: 2000 });
    expect(await row.locator(".desired").textContent()).toContain("→ Active");
    await page.close();
  });

  test("a never-seen id keeps the seeds' answer, shows as never seen, and can be deleted", async () => {
    const res = await fetch(`${http}/status/ghost-7`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "Inactive" }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      JSON.stringify({ message: "Status of ghost-7 updated to Inactive" }),
    );
    const { page, check } = await open("/devices");
    const row = page.locator('[data-testid="device-ghost-7"]');
    expect(await row.locator(".badge").textContent()).toBe("never seen");
    // the list is re-rendered live at every coffee message: follow the link's address
    const href = await row.getByRole("link", { name: "ghost-7" }).getAttribute("href");
    expect(href).toBe("/devices/ghost-7");
    await page.goto(`${http}${href}`);
    await page.locator('[data-testid="command-history"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="command-history"]').textContent()).toContain(
      "Inactive",
    );
    await check();
    await page.getByRole("link", { name: "Delete…" }).click();
    await page.getByRole("button", { name: "Delete the device, keep its data" }).click();
    await page.waitForFunction(
      () =>
        location.pathname === "/devices" &&
        document.querySelector('[data-testid="device-sim-cam-1"]'),
      null,
      { timeout: 5000 },
    );
    expect(await page.locator('[data-testid="device-ghost-7"]').count()).toBe(0);
    expect((await fetch(`${http}/devices/ghost-7`)).status).toBe(404);
    await page.close();
  });

  test("rename: the device page and the list show the display name; bad names get 400", async () => {
    const id = (await coffeeIds())[1]!;
    const { page, check } = await open(`/devices/${id}`);
    await page.fill('input[name="name"]', "Kitchen espresso");
    await page.getByRole("button", { name: "Rename" }).click();
    await page.locator("h1", { hasText: "Kitchen espresso" }).waitFor({ timeout: 5000 });
    await check();
    await page.goto(`${http}/devices`);
    const row = page.locator(`[data-testid="device-${id}"]`);
    expect(await row.getByRole("link").textContent()).toBe("Kitchen espresso");
    expect(await row.textContent()).toContain(id); // the id stays visible
    expect((await apiDevices()).find((d) => d.id === id)?.name).toBe("Kitchen espresso");
    const bad = await fetch(`${http}/devices/${id}/rename`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(65) }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("64");
    const unknown = await fetch(`${http}/devices/nobody-here/rename`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x" }),
    });
    expect(unknown.status).toBe(404);
    await page.close();
  });

  test("delete with its data removes the readings, the image rows and the files on disk", async () => {
    const files = dirs.make();
    for (let i = 0; i < 3; i++) {
      const file = join(files, `${i}.jpg`);
      writeFileSync(file, tinyJpeg(1000 + i));
      expect((await mqttPub("iot/cam-del/image", ["-f", file])).code).toBe(0);
    }
    await mqttPub("iot/cam-del/telemetry", [
      "-m",
      JSON.stringify({ temperature: 20, humidity: 40 }),
    ]);
    await waitFor(
      async () => (await api<unknown[]>("/api/images?device_id=cam-del")).length === 3,
      15_000,
      "cam-del's images",
    );
    await waitFor(
      async () => (await api<unknown[]>("/api/readings?device_id=cam-del")).length === 1,
      15_000,
      "cam-del's reading",
    );
    const dir = join(dataDir, "images", "cam-del");
    const stored = readdirSync(dir).map((f) => join(dir, f));
    expect(stored.length).toBe(3);
    const bad = await fetch(`${http}/devices/cam-del/delete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: "everything" }),
    });
    expect(bad.status).toBe(400);

    const { page, check } = await open("/devices/cam-del?confirm=delete");
    await page
      .getByRole("button", { name: /Delete the device and its data \(1 readings, 3 images\)/ })
      .waitFor();
    await check();
    await page.getByRole("button", { name: /Delete the device and its data/ }).click();
    await page.waitForFunction(() => location.pathname === "/devices", null, { timeout: 5000 });
    expect(stored.filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(await api<unknown[]>("/api/images?device_id=cam-del")).toEqual([]);
    expect(await api<unknown[]>("/api/readings?device_id=cam-del")).toEqual([]);
    expect((await apiDevices()).some((d) => d.id === "cam-del")).toBe(false);
    await page.close();
  });

  test("an unknown device id is a 404 page", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${http}/devices/never-heard-of-it`);
    expect(res!.status()).toBe(404);
    await page.close();
  });
});

describe("bins in Chromium", () => {
  test("fill bars in %, FULL first, each bin's recent levels", async () => {
    const now = new Date();
    const stamp = now.toLocaleString("sv-SE").slice(0, 19);
    await mqttPub("hello/world", ["-m", `FULL 9 ${stamp}`]);
    const { page, check } = await open("/bins");
    await page.locator('[data-testid="bin-9"]').waitFor({ timeout: 5000 });
    const cards = page.locator('section[data-testid^="bin-"]');
    expect(await cards.count()).toBe(4);
    expect(await cards.first().getAttribute("data-full")).toBe("true");
    expect(await cards.first().textContent()).toContain("FULL");
    expect(await page.locator(".page-head").textContent()).toContain("%");
    const levels = await page
      .locator('[role="progressbar"]')
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute("aria-valuenow"))));
    expect(levels[0]).toBe(100);
    for (const l of levels) expect(l).toBeGreaterThanOrEqual(0);
    // each simulated bin has several levels stored: its history has that many bars
    const bars = await page.locator('[data-testid="bin-1"] .level-history rect').count();
    expect(bars).toBeGreaterThan(1);
    await check();
    await page.close();
  });
});

describe("cameras in Chromium", () => {
  test("snapshots per camera; the video placeholder, then the live picture", async () => {
    const { page, check } = await open("/cameras");
    const group = page.locator('[data-testid="camera-sim-cam-1"]');
    expect(await group.locator("figure").count()).toBeGreaterThan(1);
    expect(await group.locator("figcaption time").count()).toBeGreaterThan(1);
    const placeholder = page.locator('[data-testid="video-placeholder"]');
    expect(await placeholder.textContent()).toContain("Waiting for video from sim-cam-1");
    expect(await placeholder.textContent()).toContain(`mqtt://127.0.0.1:${serve.mqttPort}`);
    expect(await placeholder.textContent()).toContain("iot/sim-cam-1/video");
    await check();
    const video = startSimulateProcess(serve, [
      ...["--rooms", "0", "--people", "0", "--coffee", "0", "--bins", "0"],
      ...["--camera", "off", "--video", "on", "--video-fps", "5"],
    ]);
    try {
      const live = page.locator('[data-testid="video-sim-cam-1"] img');
      await live.waitFor({ timeout: 15_000 });
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid="video-sim-cam-1"] img') as HTMLImageElement)
            ?.naturalWidth > 0,
        null,
        { timeout: 10_000 },
      );
      expect(await placeholder.count()).toBe(0);
    } finally {
      await video.stop();
    }
    await page.close();
  });
});
