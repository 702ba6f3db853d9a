/**
 * bench/dashboard: the console with a month behind it. 30 days of readings for the simulate
 * fleet's rooms (every 10 s) and two Pi devices (every 30 s) are written straight into a fresh
 * data dir with the store's inserts; then `iot serve` runs on it with `iot simulate` feeding it
 * live, and we measure:
 *   - each page's first load in Chromium (cold cache): bytes transferred for HTML + CSS + JS, and
 *     the chart data fetched after it (images and the SSE stream aside);
 *   - the server's render time per page: sequential requests, time to the response's headers
 *     (pages are rendered whole before the first byte), and the render alone as the server
 *     reports it (Server-Timing: without the wait for its event loop);
 *   - a 30-day room chart: points per series, and uPlot's draw in Chromium (performance.now()
 *     from setData to the end of its draw hook);
 *   - 200 live viewers of a room page (SSE over fetch, as EventSource does) and one in Chromium: a
 *     reading POSTed to /office_status → the SSE event that shows it, → the value visible in the
 *     Chromium page's DOM, and → the chart data that holds it.
 *
 *   bun bench/dashboard.ts [--quick]
 */
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { generateHistory, ROOMS, DEVICES } from "./dashboard-history.ts";
import { percentile, startServe, tempDir, track, writeResult } from "./lib.ts";
import { fmt } from "./stats.ts";

const quick = process.argv.includes("--quick");
const DAY = 86_400_000;
const days = quick ? 3 : 30;
const renderRequests = quick ? 50 : 200;
const viewers = 200;
const publishes = quick ? 20 : 100;
const pages = ["/", "/rooms", "/rooms/1", "/people", "/devices", "/bins", "/cameras", "/alerts"];
/** detail pages of things the fleet makes: the first of each the API lists */
async function detailPages(http: string): Promise<string[]> {
  const first = async <T>(path: string) => ((await (await fetch(http + path)).json()) as T[])[0];
  const device = await first<{ id: string }>("/api/devices");
  const person = await first<{ name: string }>("/api/people");
  const alert = await first<{ id: number }>("/api/alerts?limit=1");
  return [
    ...(device ? [`/devices/${encodeURIComponent(device.id)}`] : []),
    ...(person ? [`/people/${encodeURIComponent(person.name)}`] : []),
    ...(alert ? [`/alerts/${alert.id}`] : []),
  ];
}

/** Bytes over the wire for one cold first load, by kind (CDP's encodedDataLength). */
async function firstLoad(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const kinds = new Map<string, string>();
  const bytes = { html: 0, css: 0, js: 0, data: 0, other: 0, requests: 0 };
  cdp.on("Network.responseReceived", (e) => {
    const mime = e.response.mimeType;
    kinds.set(
      e.requestId,
      mime === "text/event-stream" || e.type === "Image"
        ? "skip"
        : e.type === "Document"
          ? "html"
          : e.type === "Stylesheet"
            ? "css"
            : e.type === "Script"
              ? "js"
              : mime === "application/json"
                ? "data"
                : "other",
    );
  });
  cdp.on("Network.loadingFinished", (e) => {
    const kind = kinds.get(e.requestId);
    if (!kind || kind === "skip") return;
    bytes[kind as keyof typeof bytes] += e.encodedDataLength;
    bytes.requests++;
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(1500); // the charts' data
  await context.close();
  return bytes;
}

async function renderTimes(url: string, n: number) {
  const ttfb: number[] = [];
  const render: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    ttfb.push(performance.now() - t0);
    const dur = /render;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1];
    if (dur) render.push(Number(dur));
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
  }
  ttfb.sort((a, b) => a - b);
  render.sort((a, b) => a - b);
  return {
    p50: percentile(ttfb, 50),
    p99: percentile(ttfb, 99),
    renderP99: render.length ? percentile(render, 99) : NaN,
  };
}

/** A 30-day chart in Chromium: points per series, and its full redraw's time. */
async function chartDraw(browser: Browser, http: string) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${http}/rooms/1?range=30d`);
  await page.waitForFunction(
    () => Number(document.querySelector("#room-1-chart")?.getAttribute("data-points")) > 0,
    undefined,
    { timeout: 30_000 },
  );
  const first = Number(await page.locator("#room-1-chart").getAttribute("data-draw-ms"));
  const measured = await page.evaluate(async () => {
    type U = {
      data: unknown[][];
      setData(d: unknown[][]): void;
      hooks: { draw: Array<() => void> };
    };
    const u = (document.querySelector("#room-1-chart") as unknown as { _uplot: U })._uplot;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const drawn = new Promise<void>((resolve) => {
        const hook = () => {
          u.hooks.draw.splice(u.hooks.draw.indexOf(hook), 1);
          resolve();
        };
        u.hooks.draw.push(hook);
      });
      const t0 = performance.now();
      u.setData(u.data); // new paths, scales and axes: everything a new range costs
      await drawn;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { points: u.data[0]!.length, median: times[15]!, max: times[29]! };
  });
  await page.close();
  return { ...measured, first };
}

async function post(http: string, room: number, temperature: number) {
  const res = await fetch(`${http}/office_status`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ room_no: room, status: { temperature, humidity: 40 } }),
  });
  if (!res.ok) throw new Error(`POST /office_status: ${res.status}`);
}

/** 200 viewers of room `room`'s page; each POST → the SSE event showing it → the chart data. */
async function liveViewers(browser: Browser, http: string, room: number) {
  const abort = new AbortController();
  const sent = new Map<string, number>(); // shown value → publish time
  const toEvent: number[] = [];
  const toData: number[] = [];
  let connected = 0;
  // the room exists before its viewers come (a page of no room renders nothing to send)
  await post(http, room, 20);
  while ((await fetch(`${http}/rooms/${room}`)).status !== 200) await Bun.sleep(50);
  const readers = Array.from({ length: viewers }, async () => {
    const res = await fetch(`${http}/events?room_no=${room}&view=room`, { signal: abort.signal });
    connected++;
    const decoder = new TextDecoder();
    let buf = "";
    const seen = new Set<string>();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, end);
          buf = buf.slice(end + 2);
          for (const [value, t] of sent) {
            if (seen.has(value) || !event.includes(`${value} °C`)) continue;
            seen.add(value);
            toEvent.push(performance.now() - t);
            // what the chart then asks for: the buckets since its last one
            void fetch(
              `${http}/api/series?room_no=${room}&since=${Date.now() - 60_000}&bucket_ms=5000`,
            ).then(async (r) => {
              const s = (await r.json()) as { temperature: { max: number[] } };
              if (s.temperature.max.includes(Number(value))) toData.push(performance.now() - t);
            });
          }
        }
      }
    } catch {
      // aborted at the end
    }
  });
  while (connected < viewers) await Bun.sleep(20);
  // one more viewer, in Chromium: when each value becomes visible in its DOM (epoch ms)
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${http}/rooms/${room}`);
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { seen: typeof seen }).seen = seen;
    const live = document.querySelector("#live")!;
    new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      // the room's current temperature (not a range or a rule's window that may name it later)
      const shown = /^(\d+\.\d) °C$/.exec(live.querySelector(".room-value")?.textContent ?? "");
      if (shown) seen[shown[1]!] ??= at;
    }).observe(live, { childList: true, subtree: true, characterData: true });
  });
  await Bun.sleep(500);
  const sentAt = new Map<string, number>(); // epoch ms, for the browser's clock
  for (let i = 1; i <= publishes; i++) {
    const value = (100 + i / 10).toFixed(1);
    sent.set(value, performance.now());
    sentAt.set(value, performance.timeOrigin + performance.now());
    await post(http, room, Number(value));
    await Bun.sleep(500);
  }
  await Bun.sleep(2000);
  const seenInPage = (await page.evaluate(
    () => (window as unknown as { seen: Record<string, number> }).seen,
  )) as Record<string, number>;
  await page.close();
  const toVisible = [...sentAt]
    .filter(([value]) => seenInPage[value] !== undefined)
    .map(([value, t]) => seenInPage[value]! - t)
    .sort((a, b) => a - b);
  abort.abort();
  await Promise.allSettled(readers);
  toEvent.sort((a, b) => a - b);
  toData.sort((a, b) => a - b);
  return {
    visible: toVisible.length,
    visibleP50: percentile(toVisible, 50),
    visibleP99: percentile(toVisible, 99),
    events: toEvent.length,
    data: toData.length,
    eventP50: percentile(toEvent, 50),
    eventP99: percentile(toEvent, 99),
    dataP50: percentile(toData, 50),
    dataP99: percentile(toData, 99),
  };
}

const dir = tempDir("iot-bench-dashboard-");
const dataDir = join(dir, "data");
const generated = generateHistory(dataDir, days);
console.log(`generated ${generated.rows} readings in ${generated.seconds.toFixed(1)} s`);
const serve = await startServe(dataDir, "all");
const http = `http://127.0.0.1:${serve.ports.http}`;
const sim = Bun.spawn(
  [
    process.execPath,
    join(import.meta.dir, "../src/main.ts"),
    "simulate",
    "--http",
    http,
    "--mqtt",
    `mqtt://127.0.0.1:${serve.ports.mqtt}`,
    "--kafka",
    serve.kafka,
    "--rooms",
    String(ROOMS),
    "--video",
    "off",
  ],
  { stdout: "ignore", stderr: "ignore" },
);
const untrackSim = track(sim);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
});
try {
  await Bun.sleep(quick ? 5000 : 15_000); // the fleet is populated: people, bins, alerts
  const loads = [];
  for (const path of [...pages, ...(await detailPages(http))]) {
    const b = await firstLoad(browser, http + path);
    const r = await renderTimes(http + path, renderRequests);
    loads.push({ path, ...b, ...r });
  }
  const series30 = await renderTimes(
    `${http}/api/series?room_no=1&since=${Date.now() - 30 * DAY}`,
    quick ? 10 : 50,
  );
  const chart = await chartDraw(browser, http);
  const live = await liveViewers(browser, http, 99);
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  const pageRows = loads.map((l) => ({
    page: l.path,
    "HTML KB": kb(l.html),
    "CSS KB": kb(l.css),
    "JS KB": kb(l.js),
    "first load KB (HTML+CSS+JS)": kb(l.html + l.css + l.js),
    "chart data KB": kb(l.data),
    "render p50 ms": Math.round(l.p50 * 10) / 10,
    "render p99 ms": Math.round(l.p99 * 10) / 10,
    "server's own render p99 ms": Math.round(l.renderP99 * 10) / 10,
  }));
  const worstLoad = Math.max(...loads.map((l) => l.html + l.css + l.js));
  const worstP99 = Math.max(...loads.map((l) => l.p99));
  writeResult({
    name: "dashboard",
    title:
      `The console with ${days} days of history (${fmt(generated.rows)} readings: ${ROOMS} rooms ` +
      `every 10 s, ${DEVICES.length} devices every 30 s) and iot simulate feeding it live`,
    quick,
    tables: [
      {
        caption: "Each page: first load in Chromium (cold cache) and server render",
        rows: pageRows,
      },
      {
        caption: "Charts and live updates",
        rows: [
          { measure: "30-day chart: points per series", value: fmt(chart.points) },
          { measure: "30-day chart: first draw in Chromium ms", value: fmt(chart.first) },
          { measure: "30-day chart: redraw (setData → drawn) median ms", value: fmt(chart.median) },
          { measure: "30-day chart: redraw max of 30 ms", value: fmt(chart.max) },
          { measure: "GET /api/series 30 days p50 ms", value: fmt(series30.p50) },
          { measure: "GET /api/series 30 days p99 ms", value: fmt(series30.p99) },
          { measure: "live viewers of a room page", value: `${fmt(viewers)} + 1 in Chromium` },
          {
            measure: "POST /office_status → visible in Chromium p50 ms",
            value: fmt(live.visibleP50),
          },
          {
            measure: "POST /office_status → visible in Chromium p99 ms",
            value: fmt(live.visibleP99),
          },
          { measure: "POST /office_status → SSE event p50 ms", value: fmt(live.eventP50) },
          { measure: "POST /office_status → SSE event p99 ms", value: fmt(live.eventP99) },
          { measure: "POST → the chart's data holds it p50 ms", value: fmt(live.dataP50) },
          { measure: "POST → the chart's data holds it p99 ms", value: fmt(live.dataP99) },
          {
            measure: "events / chart fetches / Chromium changes seen",
            value: `${live.events} / ${live.data} / ${live.visible} of ${publishes}`,
          },
          { measure: "history written (rows/s)", value: fmt(generated.rows / generated.seconds) },
        ],
      },
    ],
    limits:
      "Pages carry no chart data: each chart fetches /api/series (min/mean/max per bucket, ≤ 1000 " +
      "buckets) after the page, so a page renders from a few indexed reads (prepared once) whatever " +
      "the history, and a page asked again before an event changes it is served from its last " +
      "render (1 s at most). The 30-day series reads the hourly roll-ups (the history is rolled up " +
      "as a month-old server's lifecycle has done it) and only the raw rows not rolled up yet. " +
      "Static assets go gzipped, pages are not compressed. Live: the view is re-rendered at most " +
      "once per 250 ms for all viewers of the same params, then each chart asks for its new buckets.",
    headline: [
      {
        measure: "dashboard: largest first load (HTML+CSS+JS) / render p99",
        iot: `${kb(worstLoad)} KB / ${fmt(worstP99)} ms`,
        yardstick: "targets ≤ 150 KB / < 20 ms",
        ratio: "—",
      },
      {
        measure: `dashboard: 30-day chart draw / ${viewers} viewers publish → visible p50`,
        iot: `${fmt(chart.median)} ms (${fmt(chart.points)} points) / ${fmt(live.visibleP50)} ms`,
        yardstick: "targets < 100 ms / < 300 ms",
        ratio: "—",
      },
    ],
  });
} finally {
  await browser.close();
  sim.kill("SIGTERM");
  await sim.exited;
  untrackSim();
  await serve.stop();
}
