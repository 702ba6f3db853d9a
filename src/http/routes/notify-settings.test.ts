import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpReceiver } from "../../../test/support/notify-receivers.ts";
import { createSession, defaultSessionTimes } from "../../auth/sessions.ts";
import { createToken } from "../../auth/tokens.ts";
import { Health } from "../../health/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import { NotifySettings, parseNotifyConfig } from "../../notify/index.ts";
import { openStore } from "../../store/index.ts";
import { sqliteEngine } from "../../store/engine/index.ts";
import { notifyRows } from "../../store/notify.ts";
import { createApp } from "../app.tsx";
import { requireHttpToken } from "./login.ts";
import { notifySettingsRoutes, SETTINGS_PATH } from "./notify-settings.tsx";

const hookSecret = "webhook-secret-that-stays-hidden";
const slackUrlPath = "/services/T0/B0/slack-credential";
let http: HttpReceiver;
beforeAll(async () => void (http = await HttpReceiver.start()));
afterAll(() => http.down());

function setup(protect: boolean) {
  const store = openStore(":memory:");
  const fromFile = parseNotifyConfig({
    channels: {
      hook: { type: "webhook", url: http.url("/hook"), secret: hookSecret },
      team: { type: "slack", url: http.url(slackUrlPath) },
    },
    routes: [{ channels: ["hook"], kinds: ["bin-full"] }],
  });
  const settings = new NotifySettings(store.db, fromFile);
  const engine = sqliteEngine(store.db);
  const app = createApp({
    health: new Health(),
    metrics: new MetricsRegistry(),
    version: "t",
    guard: protect ? requireHttpToken(engine) : undefined,
    routers: [notifySettingsRoutes({ store: engine, settings, version: "t", protect })],
  });
  return { store, engine, settings, app };
}
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { origin: "http://localhost", ...headers },
});

describe("/settings/notifications", () => {
  test("shows channels and routes, secrets masked", async () => {
    const { app } = setup(false);
    const res = await app.request(SETTINGS_PATH);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("hook");
    expect(html).toContain("Send a test");
    expect(html).toContain("kind bin-full");
    expect(html).toContain("********");
    expect(html).not.toContain(hookSecret);
    expect(html).not.toContain("slack-credential");
  });

  test("a save keeps the secrets left masked, and is in force at once", async () => {
    const { app, settings, store } = setup(false);
    const page = await (await app.request(SETTINGS_PATH)).text();
    const json = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(page)![1]!.replaceAll("&quot;", '"');
    const edited = JSON.parse(json);
    edited.collapse_minutes = 5;
    edited.routes[0].cleared = true;
    const res = await app.request(SETTINGS_PATH, form({ config: JSON.stringify(edited) }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Saved");
    const now = settings.current();
    expect(now.source).toBe("dashboard");
    expect(now.config.collapse_minutes).toBe(5);
    expect(now.config.channels.hook).toMatchObject({ secret: hookSecret });
    expect(now.config.channels.team).toMatchObject({ url: http.url(slackUrlPath) });
    // stored: another NotifySettings on the same store (another process, a restart) reads them
    const other = new NotifySettings(store.db, parseNotifyConfig({}));
    expect(other.current().config.routes[0]!.cleared).toBe(true);
  });

  test("a bad edit is refused with the reason, and nothing changes", async () => {
    const { app, settings } = setup(false);
    const bad = { channels: { x: { type: "ntfy", topic: "has space" } } };
    const res = await app.request(SETTINGS_PATH, form({ config: JSON.stringify(bad) }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Not saved: notify: channels.x.topic");
    expect(settings.current().source).toBe("config file");
    const broken = await app.request(SETTINGS_PATH, form({ config: "{" }));
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain("invalid JSON");
  });

  test("send a test: the receiver gets it, and it is stored as a delivery", async () => {
    const { app, store } = setup(false);
    const before = http.on("/hook").length;
    const res = await app.request(
      `${SETTINGS_PATH}/test`,
      form({ channel: "hook" }, { "hx-request": "true" }),
    );
    expect(await res.text()).toContain("Test sent to hook.");
    expect(http.on("/hook")).toHaveLength(before + 1);
    expect(JSON.parse(http.on("/hook").at(-1)!.body)).toMatchObject({ event: "test" });
    expect(notifyRows(store.db).forAlert(0)).toMatchObject([{ channel: "hook", status: "sent" }]);

    http.status = 500;
    try {
      const failed = await app.request(
        `${SETTINGS_PATH}/test`,
        form({ channel: "team" }, { "hx-request": "true" }),
      );
      const text = await failed.text();
      expect(text).toContain(`Test to team not delivered: HTTP 500 from 127.0.0.1:${http.port}`);
      expect(text).not.toContain("slack-credential");
    } finally {
      http.status = 200;
    }
    const unknown = await app.request(`${SETTINGS_PATH}/test`, form({ channel: "nope" }));
    expect(unknown.status).toBe(400);
  });

  test("on an exposed server: admins only, reading included", async () => {
    const { app, engine } = setup(true);
    const admin = (await createToken(engine, "http", "boss", "admin")).token;
    const plain = (await createToken(engine, "http", "ops")).token;
    expect((await app.request(SETTINGS_PATH)).status).toBe(401);
    const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    expect((await app.request(SETTINGS_PATH, bearer(plain))).status).toBe(403);
    expect((await app.request(SETTINGS_PATH, bearer(admin))).status).toBe(200);
    const adminRow = await createToken(engine, "http", "boss2", "admin");
    const { id: adminId } = adminRow;
    const session = await createSession(engine, adminId, defaultSessionTimes);
    const cookie = { headers: { cookie: `iot_session=${session}` } };
    expect((await app.request(SETTINGS_PATH, cookie)).status).toBe(200);
    // a write without a token is refused before it reaches the page
    const write = await app.request(`${SETTINGS_PATH}/test`, form({ channel: "hook" }));
    expect(write.status).toBe(401);
    const ok = await app.request(
      `${SETTINGS_PATH}/test`,
      form({ channel: "hook" }, { authorization: `Bearer ${plain}` }),
    );
    expect(ok.status).toBe(403);
  });
});
