import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { Health } from "../../health/index.ts";
import { createApp } from "../app.tsx";
import { MetricsRegistry } from "../../metrics/index.ts";
import { openStore } from "../../store/index.ts";
import { sqliteEngine } from "../../store/engine/index.ts";
import { sessions } from "../../store/schema.ts";
import { loginRoutes, requireHttpToken } from "./login.ts";
import { createSession, useSession } from "../../auth/sessions.ts";
import { createToken, revokeToken } from "../../auth/tokens.ts";

const times = { idleMs: 3600_000, maxMs: 5 * 3600_000 };

async function setup(secure = false) {
  const store = openStore(":memory:");
  const engine = sqliteEngine(store.db);
  const token = await createToken(engine, "http", "ops");
  const app = createApp({
    health: new Health(),
    metrics: new MetricsRegistry(),
    version: "t",
    guard: requireHttpToken(engine, { times }),
    routers: [
      loginRoutes(engine, { times, secure }),
      new Hono().post("/w", (c) => c.json({ ok: 1 })),
    ],
  });
  const login = async () => {
    const res = await app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ token: token.token }),
      headers: { origin: "http://localhost" },
    });
    return { res, setCookie: res.headers.get("set-cookie") ?? "" };
  };
  return { store, engine, token, app, login };
}

const json = { "content-type": "application/json" };

describe("sign-in sessions", () => {
  test("the cookie holds a session id, not the token: HttpOnly, SameSite=Strict, Secure under TLS", async () => {
    const { token, login } = await setup(false);
    const { res, setCookie } = await login();
    expect(res.status).toBe(303);
    expect(setCookie).toMatch(
      /^iot_session=[\w-]{43}; Max-Age=18000; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(setCookie).not.toContain(token.token);
    expect((await (await setup(true)).login()).setCookie).toContain("; Secure");
  });

  test("a signed-in write needs Origin; logout ends the session server-side", async () => {
    const { app, login } = await setup();
    const cookie = (await login()).setCookie.split(";")[0]!;
    const write = (headers: Record<string, string>) =>
      app.request("/w", { method: "POST", body: "{}", headers: { ...json, cookie, ...headers } });
    expect((await write({ origin: "http://localhost" })).status).toBe(200);
    expect((await write({ "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await write({})).status).toBe(403); // a cookie but no Origin: not our page
    const out = await app.request("/logout", {
      method: "POST",
      headers: { cookie, origin: "http://localhost" },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^iot_session=; Max-Age=0/);
    // the old cookie, replayed, is worth nothing now
    expect((await write({ origin: "http://localhost" })).status).toBe(401);
  });

  test("revoking the token ends its sessions", async () => {
    const { app, store, engine, token, login } = await setup();
    const cookie = (await login()).setCookie.split(";")[0]!;
    const write = () =>
      app.request("/w", {
        method: "POST",
        body: "{}",
        headers: { ...json, cookie, origin: "http://localhost" },
      });
    expect((await write()).status).toBe(200);
    expect(await revokeToken(engine, token.id)).toBe(true);
    expect((await write()).status).toBe(401);
    expect(store.db.select().from(sessions).all()).toEqual([]);
  });

  test("a session slides with use, ends when idle, and never outlives its maximum", async () => {
    const { engine, token } = await setup();
    const t0 = 1_000_000;
    const id = await createSession(engine, token.id, times, t0);
    expect(await useSession(engine, id, times, t0 + 0.9 * 3600_000)).toBe(true); // slides to 1.9 h
    expect(await useSession(engine, id, times, t0 + 1.8 * 3600_000)).toBe(true);
    expect(await useSession(engine, id, times, t0 + 4.0 * 3600_000)).toBe(false); // idle too long
    const id2 = await createSession(engine, token.id, times, t0);
    for (let h = 0.5; h < 5; h += 0.5)
      expect(await useSession(engine, id2, times, t0 + h * 3600_000)).toBe(true);
    expect(await useSession(engine, id2, times, t0 + 5 * 3600_000)).toBe(false); // the maximum
    expect(await useSession(engine, "made-up", times, t0)).toBe(false);
  });
});
