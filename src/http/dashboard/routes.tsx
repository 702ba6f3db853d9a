/** @jsxImportSource hono/jsx */
import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import { raw } from "hono/html";
import { SESSION_COOKIE } from "../routes/login.ts";
import type { EventBus } from "../../events/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";
import { Layout } from "../../../views/layout.tsx";
import { ErrorPage } from "../../../views/pages/error.tsx";
import { Login } from "../../../views/pages/login.tsx";
import { LiveViews } from "./live.ts";
import { NotFound, type ViewDeps, type ViewParams } from "./view.ts";
import { views } from "./views/index.ts";

const signedIn = (c: Context) => getCookie(c, SESSION_COOKIE) !== undefined;

/** The htmx dashboard: server-rendered pages that update live over SSE. */
export function dashboardRoutes(
  deps: ViewDeps & { bus: EventBus; version: string; metrics: MetricsRegistry },
) {
  const live = new LiveViews(views, deps, deps.bus);
  // time away, "last seen" and a silent room going stale move on even when nothing happens
  const tick = setInterval(
    () =>
      ["people", "person", "overview", "devices", "rooms", "room", "alerts", "alert"].forEach((v) =>
        live.touch(v),
      ),
    30_000,
  );
  tick.unref();
  deps.metrics.collect("iot_dashboard_viewers", "open live dashboard connections", () => [
    { value: live.count },
  ]);
  const app = new Hono();
  for (const [name, view] of Object.entries(views)) {
    app.get(view.path, async (c) => {
      const params: ViewParams = { ...c.req.query(), ...c.req.param() };
      const started = performance.now();
      let page;
      try {
        page = await live.page(name, params);
      } catch (err) {
        if (!(err instanceof NotFound)) throw err;
        return c.html(
          <Layout title="Not found" version={deps.version} path={c.req.path} signedIn={signedIn(c)}>
            <ErrorPage status={404} title="Not found" message={err.message} />
          </Layout>,
          404,
        );
      }
      const events = `/events?${new URLSearchParams({ ...params, view: name })}`;
      const html = String(
        <Layout title={page.title} version={deps.version} path={c.req.path} signedIn={signedIn(c)}>
          <div hx-ext="sse" sse-connect={events}>
            <div id="live" sse-swap={name}>
              {raw(page.html)}
            </div>
          </div>
        </Layout>,
      );
      // the page's time in this handler (bench/dashboard.ts): its store reads (none when the
      // render was cached), the render and the layout
      c.header("server-timing", `render;dur=${(performance.now() - started).toFixed(2)}`);
      return c.html(html);
    });
  }
  app.get("/login", (c) =>
    c.html(
      <Layout title="Sign in" version={deps.version} path={c.req.path} signedIn={signedIn(c)}>
        <Login />
      </Layout>,
    ),
  );
  app.get("/events", (c) => {
    const { view = "overview", ...params } = c.req.query();
    if (!views[view])
      return c.json({ message: `view: expected one of ${Object.keys(views).join(", ")}` }, 400);
    return new Response(live.stream(view, params, c.req.raw.signal), {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      },
    });
  });
  return { app, live };
}
