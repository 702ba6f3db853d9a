import { Hono } from "hono";
// Embedded in the binary at build time: the dashboard works on an offline Pi network.
import htmx from "htmx.org/dist/htmx.min.js" with { type: "text" };
import sse from "htmx-ext-sse/dist/sse.min.js" with { type: "text" };
// One stylesheet, written as one file per part of the console: the design system first
import base from "../../views/styles/base.css" with { type: "text" };
import devicesCss from "../../views/styles/devices.css" with { type: "text" };
// small scripts of our own, one per page that needs one
import devicesJs from "../../views/scripts/devices.js" with { type: "text" };

const stylesheet = [base, devicesCss].join("\n");

const assets: Record<string, { body: string; type: string }> = {
  "htmx.min.js": { body: htmx, type: "text/javascript; charset=utf-8" },
  "sse.min.js": { body: sse, type: "text/javascript; charset=utf-8" },
  "devices.js": { body: devicesJs, type: "text/javascript; charset=utf-8" },
  "app.css": { body: stylesheet, type: "text/css; charset=utf-8" },
};

export const staticAssets = new Hono().get("/:name", (c) => {
  const asset = assets[c.req.param("name")];
  if (!asset) return c.notFound();
  return c.body(asset.body, 200, {
    "content-type": asset.type,
    "cache-control": "public, max-age=3600",
  });
});
