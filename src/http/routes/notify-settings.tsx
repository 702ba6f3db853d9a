/** @jsxImportSource hono/jsx */
/**
 * `/settings/notifications`: see and change the notification settings, and send a test. On an
 * exposed server only an admin may (a Bearer HTTP token with `--access admin`, or a session
 * signed in with one), reading included: the page shows where alerts go. Secrets are shown
 * masked and never sent back to the browser.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { sessionRole, verifyToken } from "../../auth/index.ts";
import {
  MASK,
  maskNotifyConfig,
  parseNotifyConfig,
  sendTest,
  type NotifyConfig,
  type NotifySettings,
} from "../../notify/index.ts";
import type { ChannelConfig } from "../../notify/config/schema.ts";
import { maskChannel, unmaskChannel } from "../../notify/config/secrets.ts";
import { Layout } from "../../../views/layout.tsx";
import {
  NotifySettingsPage,
  TestResult,
  type NotifySettingsProps,
} from "../../../views/pages/notify-settings.tsx";
import { SESSION_COOKIE } from "./login.ts";
import type { StoreEngine } from "../../store/engine/index.ts";

export const SETTINGS_PATH = "/settings/notifications";

export function notifySettingsRoutes(deps: {
  /** where the tokens and sessions are (the admin check), and the test sends' records */
  store: StoreEngine;
  settings: NotifySettings;
  version: string;
  /** an exposed server: admins only */
  protect: boolean;
}) {
  const app = new Hono();
  app.use(`${SETTINGS_PATH}/*`, adminOnly(deps));
  app.use(SETTINGS_PATH, adminOnly(deps));

  const page = (c: Context, notice?: NotifySettingsProps["notice"], status: 200 | 400 = 200) =>
    c.html(
      <Layout
        title="Notifications"
        version={deps.version}
        signedIn={getCookie(c, SESSION_COOKIE) !== undefined}
      >
        <NotifySettingsPage {...pageProps(deps.settings)} notice={notice} />
      </Layout>,
      status,
    );

  app.get(SETTINGS_PATH, async (c) => {
    await deps.settings.refresh();
    return page(c);
  });

  app.post(SETTINGS_PATH, async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const text = typeof form.config === "string" ? form.config : "";
    let config: NotifyConfig;
    try {
      const now = await deps.settings.refresh();
      config = parseNotifyConfig(keepSecrets(JSON.parse(text), now.config));
    } catch (e) {
      const reason =
        e instanceof SyntaxError ? `config: invalid JSON: ${e.message}` : (e as Error).message;
      return page(c, { ok: false, text: `Not saved: ${reason}` }, 400);
    }
    await deps.settings.save(config);
    return page(c, { ok: true, text: "Saved: in force now." });
  });

  app.post(`${SETTINGS_PATH}/test`, async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const name = typeof form.channel === "string" ? form.channel : "";
    const { channels, config } = await deps.settings.refresh();
    const channel = channels.get(name);
    const htmx = c.req.header("hx-request") === "true";
    if (!channel) {
      const text = `channel: no channel named '${name}'`;
      return htmx
        ? c.html(<TestResult ok={false} text={text} />, 400)
        : page(c, { ok: false, text }, 400);
    }
    const r = await sendTest(deps.store, channel, config.timeout_ms);
    const notice = r.ok
      ? { ok: true, text: `Test sent to ${name}.` }
      : { ok: false, text: `Test to ${name} not delivered: ${r.reason}` };
    return htmx ? c.html(<TestResult {...notice} />) : page(c, notice);
  });
  return app;
}

/** Admins only on an exposed server; 401 to nobody signed in, 403 to a non-admin. */
function adminOnly(deps: { store: StoreEngine; protect: boolean }): MiddlewareHandler {
  return async (c, next) => {
    if (!deps.protect) return next();
    const header = c.req.header("authorization");
    const role = header?.startsWith("Bearer ")
      ? (await verifyToken(deps.store, "http", header.slice(7).trim()))?.role
      : await sessionRole(deps.store, getCookie(c, SESSION_COOKIE));
    if (role === "admin") return next();
    if (role === undefined)
      return c.json(
        { message: "authentication required: sign in (/login) with an admin HTTP token" },
        401,
      );
    return c.json(
      {
        message:
          "notification settings need an admin token (iot token create --kind http --access admin)",
      },
      403,
    );
  };
}

/** Edited channels whose secrets came back masked keep the values they had. */
function keepSecrets(raw: unknown, before: NotifyConfig): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const channels = (raw as { channels?: unknown }).channels;
  if (typeof channels !== "object" || channels === null) return raw;
  const kept = Object.fromEntries(
    Object.entries(channels as Record<string, unknown>).map(([name, c]) => {
      const typed = c as ChannelConfig;
      if (typeof c !== "object" || c === null || !("type" in c)) return [name, c];
      return [name, unmaskChannel(typed, before.channels[name])];
    }),
  );
  return { ...raw, channels: kept };
}

function pageProps(settings: NotifySettings): Omit<NotifySettingsProps, "notice"> {
  const { config, source } = settings.current();
  return {
    source,
    channels: Object.entries(config.channels).map(([name, c]) => ({
      name,
      type: c.type,
      target: target(maskChannel(c)),
    })),
    routes: config.routes.map((r) => ({
      channels: r.channels,
      filter: filterText(r),
      cleared: r.cleared,
      quiet: r.quiet_hours,
    })),
    json: JSON.stringify(maskNotifyConfig(config), null, 2),
  };
}

function target(c: ChannelConfig): string {
  switch (c.type) {
    case "webhook":
    case "slack":
      return c.url === MASK ? MASK : c.url;
    case "ntfy":
      return `${c.server.replace(/\/+$/, "")}/${c.topic}`;
    case "email":
      return `${c.to.join(", ")} via ${c.host}:${c.port} (${c.security})`;
    case "mqtt":
      return `MQTT ${c.topic}`;
  }
}

function filterText(r: NotifyConfig["routes"][number]): string {
  const parts = [
    r.kinds?.length ? `kind ${r.kinds.join("|")}` : "",
    r.severities?.length ? `severity ${r.severities.join("|")}` : "",
    r.subjects?.length ? `subject ${r.subjects.join("|")}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "every alert";
}
