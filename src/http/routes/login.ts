/**
 * HTTP writes need a bearer token (or the session cookie the sign-in form sets) when the server
 * is exposed; reads stay open. `POST /login` trades a token for a session (the token itself
 * never goes into the browser); `POST /logout` ends it.
 *
 * The cookie is HttpOnly, SameSite=Strict (no other site's page can make the browser send it),
 * Secure under TLS; and a write it authenticates must carry `Origin` or `Sec-Fetch-Site:
 * same-origin` (checked against this origin by the cross-origin guard before this one), so a
 * page on the same site but another port cannot use it either.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { StoreEngine } from "../../store/engine/index.ts";
import {
  createSession,
  defaultSessionTimes,
  endSession,
  useSession,
  type SessionTimes,
} from "../../auth/sessions.ts";
import { verifyToken } from "../../auth/tokens.ts";

export const SESSION_COOKIE = "iot_session";
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const OPEN = new Set(["/login", "/logout"]);

export interface HttpAuthOptions {
  times?: SessionTimes;
  /** served over TLS: the cookie is `Secure` */
  secure?: boolean;
}

export function requireHttpToken(
  store: StoreEngine,
  { times = defaultSessionTimes }: HttpAuthOptions = {},
): MiddlewareHandler {
  return async (c, next) => {
    if (!WRITES.has(c.req.method) || OPEN.has(c.req.path)) return next();
    const header = c.req.header("authorization");
    if (header?.startsWith("Bearer ")) {
      if (await verifyToken(store, "http", header.slice(7).trim())) return next();
    } else if (await useSession(store, getCookie(c, SESSION_COOKIE), times)) {
      if (c.req.header("origin") || c.req.header("sec-fetch-site") === "same-origin") return next();
      return c.json(
        { message: "cross-origin write refused: a signed-in write must carry Origin" },
        403,
      );
    }
    return c.json(
      {
        message:
          "authentication required: Authorization: Bearer <token> (iot token create --kind http)",
      },
      401,
    );
  };
}

export function loginRoutes(
  store: StoreEngine,
  { times = defaultSessionTimes, secure = false }: HttpAuthOptions = {},
) {
  const cookie = (c: Context, value: string) =>
    setCookie(c, SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: "Strict",
      secure,
      path: "/",
      maxAge: Math.floor(times.maxMs / 1000),
    });
  return new Hono()
    .post("/login", async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const token = typeof form.token === "string" ? form.token : undefined;
      const row = await verifyToken(store, "http", token);
      if (!row) return c.json({ message: "invalid token" }, 401);
      cookie(c, await createSession(store, row.id, times));
      return c.redirect("/", 303);
    })
    .post("/logout", async (c) => {
      await endSession(store, getCookie(c, SESSION_COOKIE));
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure, httpOnly: true, sameSite: "Strict" });
      return c.redirect("/", 303);
    });
}
