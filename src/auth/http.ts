/**
 * HTTP writes need a bearer token (or the cookie the login form sets) when the server is
 * exposed; reads stay open. `POST /login` trades a token for an HttpOnly cookie.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Db } from "../store/index.ts";
import { verifyToken } from "./tokens.ts";

const COOKIE = "iot_token";
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function requireHttpToken(db: Db): MiddlewareHandler {
  return async (c, next) => {
    if (!WRITES.has(c.req.method) || c.req.path === "/login") return next();
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : getCookie(c, COOKIE);
    if (!verifyToken(db, "http", token)) {
      return c.json(
        {
          message:
            "authentication required: Authorization: Bearer <token> (iot token create --kind http)",
        },
        401,
      );
    }
    return next();
  };
}

export function loginRoutes(db: Db) {
  return new Hono().post("/login", async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === "string" ? form.token : undefined;
    if (!verifyToken(db, "http", token)) return c.json({ message: "invalid token" }, 401);
    setCookie(c, COOKIE, token!, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: 30 * 24 * 3600,
    });
    return c.redirect("/", 303);
  });
}
