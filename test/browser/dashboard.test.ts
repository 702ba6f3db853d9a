/**
 * The dashboard in Debian's headless Chromium, driven by playwright-core (no browser download):
 * every page renders, live updates arrive over SSE without reload, the device toggle reaches the
 * device as an MQTT command, the rule form creates a rule.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-browser-");
// the README's screenshots come from scripts/screenshots.ts (a populated fleet); these are for a look
const shots = dirs.make();
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let http: string;
const outside: string[] = [];

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: dirs.make() });
  http = `http://127.0.0.1:${serve.httpPort}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.on("request", (r) => {
    if (!r.url().startsWith(http)) outside.push(r.url());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dirs.cleanup();
});

const mqttPub = (topic: string, message: string) =>
  run(["mosquitto_pub", "-p", String(serve.mqttPort), "-q", "1", "-t", topic, "-m", message]);

describe("dashboard in Chromium", () => {
  test("empty states say what to do, and nothing is loaded from outside", async () => {
    await page.goto(`${http}/`);
    await page.getByText("No devices yet").waitFor({ timeout: 5000 });
    await page.goto(`${http}/rooms`);
    await page.getByText("No rooms yet").waitFor({ timeout: 5000 });
    expect(outside).toEqual([]);
  });

  test("an MQTT publish shows up on the open page within 1 s, without reload", async () => {
    await page.goto(`${http}/devices`);
    await page.waitForFunction(() => (window as unknown as { htmx?: unknown }).htmx !== undefined);
    await page.waitForTimeout(300); // the SSE connection is open
    // a reload or navigation would make a new window object and lose this mark
    await page.evaluate(
      () => ((window as unknown as { notReloaded?: boolean }).notReloaded = true),
    );
    const published = await mqttPub(
      "coffee",
      JSON.stringify({ id: "3DF92-192", x: 3, y: 4, status: "Active" }),
    );
    expect(published.code).toBe(0);
    const dot = page.locator('[data-testid="dot-3DF92-192"]');
    await dot.waitFor({ timeout: 1000 });
    await mqttPub("coffee", JSON.stringify({ id: "3DF92-192", x: 7, y: 2, status: "Active" }));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="dot-3DF92-192"]')?.getAttribute("data-x") === "7",
      undefined,
      { timeout: 1000 },
    );
    const mark = await page.evaluate(
      () => (window as unknown as { notReloaded?: boolean }).notReloaded,
    );
    expect(mark).toBe(true);
  });

  test("the toggle changes the device's status and the device receives the command", async () => {
    const sub = Bun.spawn(
      [
        "mosquitto_sub",
        "-p",
        String(serve.mqttPort),
        "-t",
        "iot/3DF92-192/command",
        "-C",
        "1",
        "-W",
        "10",
      ],
      { stdout: "pipe" },
    );
    await page.goto(`${http}/devices`);
    await page.locator('[data-testid="device-3DF92-192"] button').click();
    expect((await new Response(sub.stdout).text()).trim()).toBe("Inactive");
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="device-3DF92-192"]')
          ?.textContent?.includes("→ Inactive"),
      undefined,
      { timeout: 2000 },
    );
    const devices = await (await fetch(`${http}/api/devices`)).json();
    expect(devices.find((d: { id: string }) => d.id === "3DF92-192").desired_status).toBe(
      "Inactive",
    );
  });

  test("the rule form creates a rule that the rooms page shows", async () => {
    await fetch(`${http}/office_status`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ room_no: 4, status: { temperature: 22, humidity: 45 } }),
    });
    await page.goto(`${http}/rooms`);
    await page.locator('[data-testid="room-4"]').waitFor({ timeout: 5000 });
    await page.fill('input[name="room_no"]', "4");
    await page.fill('input[name="schedule_id"]', "9");
    await page.selectOption('select[name="agg_type"]', "max");
    await page.fill('input[name="up"]', "28");
    await page.click('form button[type="submit"]');
    await page.locator('[data-testid="rule-4-9"]').waitFor({ timeout: 5000 });
    expect(await page.locator('[data-testid="rule-4-9"]').textContent()).toContain(
      "max temperature ≤ 28",
    );
  });

  test("an open page does not grow in memory as updates stream in", async () => {
    await page.goto(`${http}/devices`);
    await page.waitForTimeout(500);
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      return ((await cdp.send("Runtime.getHeapUsage")) as { usedSize: number }).usedSize;
    };
    const moves = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        await mqttPub(
          "coffee",
          JSON.stringify({ id: "mover", x: i % 10, y: i % 7, status: "Active" }),
        );
        await Bun.sleep(30);
      }
      await page.waitForFunction(
        (x) =>
          document.querySelector('[data-testid="dot-mover"]')?.getAttribute("data-x") === String(x),
        (from + n - 1) % 10,
        { timeout: 5000 },
      );
    };
    await moves(0, 60); // warm up: first renders, caches
    const before = await heap();
    await moves(60, 240);
    const after = await heap();
    // hundreds of swaps later the page holds about what it held before (allow 1 MB of noise)
    expect(after - before).toBeLessThan(1 << 20);
  }, 90_000);

  test("every page renders; screenshots for the README, desktop and phone", async () => {
    await mqttPub("iot/pi-1/telemetry", JSON.stringify({ temperature: 21.5, humidity: 40 }));
    await mqttPub("hello/world", "FULL 3 2026-11-22 10:05:00");
    await fetch(`${http}/entrance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "jane", value: "out" }),
    });
    await Bun.sleep(1000);
    for (const name of ["overview", "rooms", "people", "devices", "bins", "cameras", "alerts"]) {
      const res = await page.goto(`${http}/${name === "overview" ? "" : name}`);
      expect(res!.status()).toBe(200);
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${http}/`);
    await page.screenshot({ path: join(shots, "overview-phone.png"), fullPage: true });
    expect(outside).toEqual([]);
  });
});
