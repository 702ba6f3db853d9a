import { Hono } from "hono";
// Embedded in the binary at build time: the dashboard works on an offline Pi network.
import htmx from "htmx.org/dist/htmx.min.js" with { type: "text" };
import sse from "htmx-ext-sse/dist/sse.min.js" with { type: "text" };
import uplot from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import charts from "../../views/scripts/charts.js" with { type: "text" };
// One stylesheet, written as one file per part of the console: the design system first
import base from "../../views/styles/base.css" with { type: "text" };
import rooms from "../../views/styles/rooms.css" with { type: "text" };
import people from "../../views/styles/people.css" with { type: "text" };
import alerts from "../../views/styles/alerts.css" with { type: "text" };
import devicesCss from "../../views/styles/devices.css" with { type: "text" };
import notifyCss from "../../views/styles/notify.css" with { type: "text" };
import docs from "../../views/styles/docs.css" with { type: "text" };
// Our own scripts: small files, no inline <script> bodies (a CSP stays possible)
import devicesJs from "../../views/scripts/devices.js" with { type: "text" };
import liveJs from "../../views/scripts/live.js" with { type: "text" };
import theme from "../../views/scripts/theme.js" with { type: "text" };
import favicon from "../../views/assets/favicon.svg" with { type: "text" };

const stylesheet = [base, uplotCss, rooms, people, alerts, devicesCss, notifyCss, docs].join("\n");

const js = "text/javascript; charset=utf-8";
const assets: Record<string, { body: string; type: string; gzip?: Uint8Array<ArrayBuffer> }> = {
  "htmx.min.js": { body: htmx, type: js },
  "sse.min.js": { body: sse, type: js },
  "uPlot.iife.min.js": { body: uplot, type: js },
  "charts.js": { body: charts, type: js },
  "theme.js": { body: theme, type: js },
  "devices.js": { body: devicesJs, type: js },
  "live.js": { body: liveJs, type: js },
  "app.css": { body: stylesheet, type: "text/css; charset=utf-8" },
  "favicon.svg": { body: favicon, type: "image/svg+xml" },
};

const gzipped = (asset: { body: string; gzip?: Uint8Array<ArrayBuffer> }) =>
  (asset.gzip ??= Bun.gzipSync(new TextEncoder().encode(asset.body), {
    level: 9,
  }) as Uint8Array<ArrayBuffer>);

export const staticAssets = new Hono().get("/:name", (c) => {
  const asset = assets[c.req.param("name")];
  if (!asset) return c.notFound();
  const headers = {
    "content-type": asset.type,
    "cache-control": "public, max-age=3600",
    vary: "accept-encoding",
  };
  // compressed once, on first ask: a first visit over a slow link moves a third of the bytes
  if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? ""))
    return c.body(gzipped(asset), 200, { ...headers, "content-encoding": "gzip" });
  return c.body(asset.body, 200, headers);
});
