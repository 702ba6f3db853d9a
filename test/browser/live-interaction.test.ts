/**
 * Live updates never take what the operator is doing from under them (views/scripts/live.js), in
 * Debian's Chromium against `iot serve`: a room's page is re-rendered live at every reading, and
 * meanwhile a click pressed on a link still lands, selected text stays selected (the update
 * waits, then shows), and the focused field keeps its focus and caret.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { collectPageErrors, launchChromium } from "../support/browser.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-live-interaction-");
let serve: ServeProcess;
let browser: Browser;
let http: string;

const postRoom = async (temperature: number) => {
  const res = await fetch(`${http}/office_status`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ room_no: 1, status: { temperature, humidity: 40 } }),
  });
  expect(res.status).toBe(200);
};

/** Room 1's page, with a count of the live updates that reached it (swapped or not). */
async function openRoom(): Promise<{
  page: Page;
  errors: string[];
  updates: () => Promise<number>;
}> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectPageErrors(page);
  await page.goto(`${http}/rooms/1`);
  await page.evaluate(() => {
    const w = window as unknown as { liveUpdates: number };
    w.liveUpdates = 0;
    document.addEventListener("htmx:sseBeforeMessage", () => w.liveUpdates++, true);
  });
  // the SSE stream is open: an update arrives
  const updates = () =>
    page.evaluate(() => (window as unknown as { liveUpdates: number }).liveUpdates);
  await waitFor(
    async () => {
      await postRoom(20);
      return (await updates()) > 0;
    },
    15_000,
    "the page's first live update",
  );
  return { page, errors, updates };
}

/** Posts a reading and waits until the page has received the live update it causes. */
async function liveUpdate(updates: () => Promise<number>, temperature: number) {
  const before = await updates();
  await postRoom(temperature);
  await waitFor(async () => (await updates()) > before, 10_000, `the update for ${temperature}`);
}

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: dirs.make() });
  http = `http://127.0.0.1:${serve.httpPort}`;
  await postRoom(20);
  await waitFor(async () => (await fetch(`${http}/rooms/1`)).status === 200, 15_000, "room 1");
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dirs.cleanup();
});

describe("live updates keep the user's interaction", () => {
  test("a click pressed on a link when an update arrives still lands", async () => {
    const { page, errors, updates } = await openRoom();
    const link = page.locator("#live a[href='/rooms']").first();
    // an update still being swapped in detaches the link for a moment: ask until it stands
    let box: Awaited<ReturnType<typeof link.boundingBox>> = null;
    await waitFor(async () => (box = await link.boundingBox()) !== null, 5000, "the link");
    box = box!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await liveUpdate(updates, 21.3);
    await Bun.sleep(300); // the update would have been swapped in by now
    await page.mouse.up();
    // the link is boosted (hx-boost): the list comes by htmx, its URL pushed
    await waitFor(() => page.url() === `${http}/rooms`, 5000, "the click's navigation");
    await page.waitForSelector("h1:text('Rooms')", { timeout: 5000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("selected text stays selected while updates wait; they show once it is let go", async () => {
    const { page, errors, updates } = await openRoom();
    await liveUpdate(updates, 22.5);
    await waitFor(async () => (await page.textContent("#live"))!.includes("22.5 °C"), 5000);
    // the operator selects the room's temperature to copy it
    await page.evaluate(() => {
      const big = Array.from(document.querySelectorAll("#live *")).find(
        (e) => e.children.length === 0 && e.textContent?.trim() === "22.5 °C",
      )!;
      getSelection()!.selectAllChildren(big);
    });
    await liveUpdate(updates, 23.7);
    await Bun.sleep(300);
    expect(await page.evaluate(() => getSelection()!.toString().trim())).toBe("22.5 °C");
    expect(await page.textContent("#live")).not.toContain("23.7 °C");
    // let go: the newest value shows
    await page.evaluate(() => getSelection()!.removeAllRanges());
    await waitFor(async () => (await page.textContent("#live"))!.includes("23.7 °C"), 5000);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the focused field keeps its focus, value and caret across updates", async () => {
    const { page, errors, updates } = await openRoom();
    const up = page.locator("#live input[name='up']");
    await up.click();
    await page.keyboard.type("31.5");
    await page.keyboard.press("ArrowLeft"); // caret before the 5
    await liveUpdate(updates, 24.1);
    await waitFor(async () => (await page.textContent("#live"))!.includes("24.1 °C"), 5000);
    const state = await page.evaluate(() => {
      const a = document.activeElement as HTMLInputElement | null;
      return { name: a?.getAttribute("name"), value: a?.value, caret: a?.selectionStart };
    });
    // number inputs hide their caret from scripts (selectionStart is null)
    expect({ name: state.name, value: state.value }).toEqual({ name: "up", value: "31.5" });
    // typing goes on where it was
    await page.keyboard.type("0");
    expect(await up.inputValue()).toBe("31.05");
    expect(errors).toEqual([]);
    await page.close();
  });
});
