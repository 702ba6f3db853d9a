/**
 * Cross-site request forgery in a real browser (Debian's Chromium via playwright-core): a page
 * served from another origin (a tiny HTTP server on another port) auto-submits a form whose
 * text/plain body is the JSON `POST /status/<id>` expects, a urlencoded rule form with `up: -100`,
 * and a no-cors `fetch` of an entrance event. None of them may change anything; the dashboard's
 * own forms, on its own origin, still work.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chromium, type Browser } from "playwright-core";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-csrf-");
let serve: ServeProcess;
let browser: Browser;
let evil: ReturnType<typeof Bun.serve>;
let http: string;

/** The attacker's pages, on another port of the same machine (so even same-site). */
function attackerPages(target: string) {
  const page = (body: string) =>
    new Response(`<!DOCTYPE html><html><body>${body}</body></html>`, {
      headers: { "content-type": "text/html" },
    });
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/status")
        // enctype text/plain sends `name=value`: this body parses as {"status":"Inactive","x":"="}
        return page(`<form id="f" method="post" enctype="text/plain" action="${target}/status/csrf-dev">
          <input name='{"status":"Inactive","x":"' value='"}'></form>
          <script>document.getElementById("f").submit()</script>`);
      if (path === "/rule")
        return page(`<form id="f" method="post" action="${target}/office_rule">
          <input name="room_no" value="77"><input name="schedule_id" value="1">
          <input name="order" value="insert"><input name="metric" value="temperature">
          <input name="agg_type" value="max"><input name="up" value="-100"></form>
          <script>document.getElementById("f").submit()</script>`);
      if (path === "/fetch")
        return page(`<script>
          for (const p of ["/entrance", "/status/csrf-fetch"])
            fetch("${target}" + p, { method: "POST", mode: "no-cors",
              body: JSON.stringify({ name: "csrf-victim", value: "out", status: "Active" }) })
              .finally(() => (document.title = (document.title || "") + "sent;"));
        </script>`);
      return new Response("not found", { status: 404 });
    },
  });
}

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: dirs.make() });
  http = `http://127.0.0.1:${serve.httpPort}`;
  evil = attackerPages(http);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  evil?.stop(true);
  await serve?.stop();
  dirs.cleanup();
});

const api = async (path: string) => (await fetch(`${http}${path}`)).json();

describe("a page from another origin", () => {
  test("cannot change a device's status, add a rule or record a person out", async () => {
    const page = await browser.newPage();
    const answers: number[] = [];
    page.on("response", (r) => {
      if (r.url().startsWith(http)) answers.push(r.status());
    });
    const origin = `http://127.0.0.1:${evil.port}`;
    for (const path of ["/status", "/rule"]) {
      await page.goto(`${origin}${path}`);
      await page.waitForURL((u) => u.toString().startsWith(http), { timeout: 10_000 });
      await page.waitForLoadState();
    }
    await page.goto(`${origin}/fetch`);
    await page.waitForFunction(() => document.title === "sent;sent;", undefined, {
      timeout: 10_000,
    });
    await page.close();
    // every attempt reached the server and was refused there
    expect(answers.length).toBeGreaterThanOrEqual(2);
    for (const code of answers) expect([403, 415]).toContain(code);
    await Bun.sleep(1500); // anything accepted would be consumed by now
    const devices = (await api("/api/devices")).map((d: { id: string }) => d.id);
    expect(devices.filter((id: string) => id.startsWith("csrf"))).toEqual([]);
    expect((await api("/api/rules")).filter((r: { room_no: number }) => r.room_no === 77)).toEqual(
      [],
    );
    const people = (await api("/api/people")).map((p: { name: string }) => p.name);
    expect(people).not.toContain("csrf-victim");
  });

  test("the dashboard's own rule form, on its own origin, still works", async () => {
    const page = await browser.newPage();
    await fetch(`${http}/office_status`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ room_no: 5, status: { temperature: 22 } }),
    });
    await page.goto(`${http}/rooms`);
    await page.locator('[data-testid="room-5"]').waitFor({ timeout: 10_000 });
    await page.fill('input[name="room_no"]', "5");
    await page.fill('input[name="schedule_id"]', "3");
    await page.fill('input[name="up"]', "27");
    await page.click('form button[type="submit"]');
    await waitFor(
      async () => (await api("/api/rules")).some((r: { room_no: number }) => r.room_no === 5),
      10_000,
      "the rule from the dashboard's own form",
    );
    await page.close();
  });
});
