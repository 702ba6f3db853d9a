/**
 * The README's screenshots, from a populated fleet: `iot serve` on a fresh data dir, fed by
 * `iot simulate` for a while (rooms, people, coffee devices, bins, a camera, video), then every
 * page on a desktop, the Overview and a room on a phone, and one page in dark mode, taken in
 * Debian's Chromium. Run: `bun scripts/screenshots.ts [seconds of simulation, default 120]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../test/support/browser.ts";
import { startServeProcess } from "../test/support/serve-process.ts";
import { startSimulateProcess } from "../test/support/simulate-process.ts";

const seconds = Number(process.argv[2] ?? 120);
const shots = join(import.meta.dir, "../docs/screenshots");
const dataDir = mkdtempSync(join(tmpdir(), "iot-shots-"));
const serve = await startServeProcess({ dataDir });
const http = `http://127.0.0.1:${serve.httpPort}`;
const sim = startSimulateProcess(serve, [
  "--rooms",
  "4",
  "--people",
  "8",
  "--coffee",
  "3",
  "--bins",
  "3",
  "--interval",
  "500",
  "--image-interval",
  "5000",
]);
const browser = await launchChromium();
try {
  console.log(`simulating for ${seconds} s against ${http} …`);
  await Bun.sleep(seconds * 1000);
  const pages: Array<[string, string]> = [
    ["overview", "/"],
    ["rooms", "/rooms"],
    ["room", "/rooms/1"],
    ["people", "/people"],
    ["devices", "/devices"],
    ["bins", "/bins"],
    ["cameras", "/cameras"],
    ["alerts", "/alerts"],
  ];
  const shoot = async (
    name: string,
    path: string,
    opts: { width: number; height: number; dark?: boolean },
  ) => {
    const context = await browser.newContext({
      viewport: { width: opts.width, height: opts.height },
      colorScheme: opts.dark ? "dark" : "light",
    });
    const page = await context.newPage();
    const res = await page.goto(`${http}${path}`, { waitUntil: "networkidle" }).catch(() => null);
    if (!res || res.status() !== 200) console.log(`${path}: ${res?.status() ?? "no answer"}`);
    await Bun.sleep(1500); // charts draw, the live video's first frames arrive
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    await context.close();
    console.log(`docs/screenshots/${name}.png`);
  };
  for (const [name, path] of pages) await shoot(name, path, { width: 1440, height: 900 });
  await shoot("overview-phone", "/", { width: 390, height: 844 });
  await shoot("room-phone", "/rooms/1", { width: 390, height: 844 });
  await shoot("overview-dark", "/", { width: 1440, height: 900, dark: true });
} finally {
  await browser.close();
  await sim.stop();
  await serve.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
