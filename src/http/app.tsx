/** @jsxImportSource hono/jsx */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { Layout } from "../../views/layout.tsx";
import { ErrorPage } from "../../views/pages/error.tsx";
import type { Health } from "../health/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { type Logger, silentLogger } from "../core/log/index.ts";
import {
  crossOriginGuard,
  hostPolicy,
  writeContentTypes,
  type HostPolicy,
} from "./protect/index.ts";
import { allowedMethods } from "./allowed-methods.ts";
import { SESSION_COOKIE } from "./routes/login.ts";
import { staticAssets } from "./static.ts";

export interface AppDeps {
  health: Health;
  metrics: MetricsRegistry;
  version: string;
  log?: Logger;
  /** routers of the running components (collector, API, video), mounted at the root */
  routers?: Hono[];
  /** protected mode: checks every request before the routers */
  guard?: MiddlewareHandler;
  /** the Host names answered and origins trusted (default: localhost and IP literals) */
  hosts?: HostPolicy;
  /** larger bodies get 413: by their Content-Length at once, chunked ones once this much came */
  maxBodyBytes?: number;
}

/** The HTTP face of `iot serve`: pass everything in, so tests call `app.request()` on it. */
export function createApp({
  health,
  metrics,
  version,
  log = silentLogger,
  routers = [],
  guard,
  hosts = hostPolicy({ bind: "127.0.0.1" }),
  maxBodyBytes = 16 * 1024 * 1024,
}: AppDeps) {
  const requests = metrics.counter("iot_http_requests_total", "HTTP requests by route and status");
  const app = new Hono();

  app.use(async (c, next) => {
    await next();
    requests.inc({ method: c.req.method, route: c.req.routePath, code: String(c.res.status) });
  });

  // DNS rebinding and cross-origin writes first, then the guard: an unauthenticated client
  // gets its 401 without a byte of body read; then writes must say JSON or form
  app.use(crossOriginGuard(hosts));
  if (guard) app.use(guard);
  app.use(writeContentTypes());
  // close: the client need not upload the rest only for it to be thrown away
  const tooLarge = (c: Context) =>
    c.json({ message: `body: larger than ${maxBodyBytes} bytes` }, 413, { connection: "close" });
  const streamedLimit = bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge });
  app.use(async (c, next) => {
    // a declared length is judged from the header alone: the body is not touched (in Bun its
    // stream would be built for nothing); a chunked or undeclared body is counted as it comes
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined)
      return streamedLimit(c, next);
    return Number.parseInt(length, 10) > maxBodyBytes ? tooLarge(c) : next();
  });

  app.onError((err, c) => {
    // a client that hung up mid-body is not a server fault; nobody reads this answer
    if (c.req.raw.signal.aborted) {
      log.debug("client went away mid-request", { path: c.req.path, err });
      return c.json({ message: "request aborted by the client" }, 400);
    }
    log.error("request failed", { path: c.req.path, err });
    return c.json({ message: "internal error" }, 500);
  });

  app.get("/healthz", (c) => {
    const report = health.report();
    return c.json({ ...report, version }, report.status === "ok" ? 200 : 503);
  });

  app.get("/metrics", (c) =>
    c.text(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
  );

  app.route("/static", staticAssets);
  for (const r of routers) app.route("/", r);

  app.notFound((c) => {
    const path = c.req.path;
    if (path.startsWith("/api/")) {
      const allow = allowedMethods(app.routes, path);
      if (allow.length > 0)
        return c.json(
          { message: `${c.req.method} ${path}: method not allowed (allowed: ${allow.join(", ")})` },
          405,
          { allow: allow.join(", ") },
        );
      return c.json({ message: `${path}: no such API route` }, 404);
    }
    if (!wantsHtml(c)) return c.json({ message: `${path}: not found` }, 404);
    return c.html(
      <Layout
        title="Not found"
        version={version}
        path={path}
        signedIn={getCookie(c, SESSION_COOKIE) !== undefined}
      >
        <ErrorPage
          status={404}
          title="Page not found"
          message={`There is no page at ${path}. It may have moved, or the link may be mistyped.`}
        />
      </Layout>,
      404,
    );
  });

  return app;
}

/** A browser (or htmx) asking for a page gets HTML; scripts and curl get JSON. */
const wantsHtml = (c: Context) =>
  c.req.header("hx-request") === "true" || (c.req.header("accept") ?? "").includes("text/html");

export type App = ReturnType<typeof createApp>;
