import { Hono } from "hono";
// Embedded in the binary at build time: the dashboard works on an offline Pi network.
import htmx from "htmx.org/dist/htmx.min.js" with { type: "text" };
import sse from "htmx-ext-sse/dist/sse.min.js" with { type: "text" };
// One stylesheet, written as one file per part of the console: the design system first
import base from "../../views/styles/base.css" with { type: "text" };
import people from "../../views/styles/people.css" with { type: "text" };
// Our own scripts: small files, no inline <script> bodies (a CSP stays possible)
import theme from "../../views/scripts/theme.js" with { type: "text" };
import favicon from "../../views/assets/favicon.svg" with { type: "text" };

const stylesheet = [base, people].join("\n");

const js = "text/javascript; charset=utf-8";
const assets: Record<string, { body: string; type: string }> = {
  "htmx.min.js": { body: htmx, type: js },
  "sse.min.js": { body: sse, type: js },
  "theme.js": { body: theme, type: js },
  "app.css": { body: stylesheet, type: "text/css; charset=utf-8" },
  "favicon.svg": { body: favicon, type: "image/svg+xml" },
};

export const staticAssets = new Hono().get("/:name", (c) => {
  const asset = assets[c.req.param("name")];
  if (!asset) return c.notFound();
  return c.body(asset.body, 200, {
    "content-type": asset.type,
    "cache-control": "public, max-age=3600",
  });
});
