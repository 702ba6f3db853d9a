/**
 * Protected mode in Chromium: signing in with a token sets a session cookie; the dashboard's
 * htmx toggle then works with it; a page on the same site but another port (which SameSite
 * does not stop) cannot use it; "Sign out" in the nav ends the session.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chromium, type Browser } from "playwright-core";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { createToken } from "../support/token.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-session-");
let serve: ServeProcess;
let browser: Browser;
let evil: ReturnType<typeof Bun.serve>;
let http: string;
let token: string;

beforeAll(async () => {
  const dataDir = dirs.make();
  token = await createToken(dataDir, "http", "ops");
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
  http = `http://127.0.0.1:${serve.httpPort}`;
  evil = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response(
        `<!DOCTYPE html><form id="f" method="post" action="${http}/status/pi-5">
          <input name="status" value="Inactive"></form>
          <script>document.getElementById("f").submit()</script>`,
        { headers: { "content-type": "text/html" } },
      ),
  });
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

const desired = async (id: string) =>
  (
    (await (await fetch(`${http}/api/devices`)).json()) as Array<{
      id: string;
      desired_status: string | null;
    }>
  ).find((d) => d.id === id)?.desired_status;

describe("signed in to a protected dashboard", () => {
  test("sign in, toggle, resist a same-site page on another port, sign out", async () => {
    await fetch(`${http}/status/pi-5`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ status: "Active" }),
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${http}/login`);
    await page.fill('input[name="token"]', token);
    await page.click('form button[type="submit"]');
    await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 10_000 });
    const cookies = await context.cookies(http);
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
      ["iot_session", true, "Strict"],
    ]);
    expect(cookies[0]!.value).not.toContain(token);

    // the dashboard's own toggle, with the cookie
    await page.goto(`${http}/devices`);
    // as a user would: click, then wait for the live update to offer the way back
    const row = page.locator('[data-testid="device-pi-5"]');
    await row.getByRole("button", { name: "Set Inactive" }).click();
    await waitFor(async () => (await desired("pi-5")) === "Inactive", 10_000, "the toggle");
    await row.getByRole("button", { name: "Set Active" }).click({ timeout: 10_000 });
    await waitFor(async () => (await desired("pi-5")) === "Active", 10_000, "the toggle back");

    // same site (127.0.0.1), another port: the Strict cookie goes along, the Origin check stops it
    const attack = await context.newPage();
    const refused = attack.waitForResponse((r) => r.url().startsWith(`${http}/status/`));
    await attack.goto(`http://127.0.0.1:${evil.port}/`);
    expect((await refused).status()).toBe(403);
    await attack.close();
    expect(await desired("pi-5")).toBe("Active");

    // sign out: the button goes, and the old cookie is worth nothing
    const before = cookies[0]!.value;
    await page.goto(`${http}/devices`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForFunction(() => !document.body.textContent?.includes("Sign out"), undefined, {
      timeout: 10_000,
    });
    expect(await context.cookies(http)).toEqual([]);
    const replay = await fetch(`${http}/status/pi-5`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: `iot_session=${before}`,
        origin: http,
      },
      body: JSON.stringify({ status: "Inactive" }),
    });
    expect(replay.status).toBe(401);
    await context.close();
  }, 60_000);
});
