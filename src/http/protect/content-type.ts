/**
 * Writes say what their body is: JSON, or a form (the dashboard's htmx forms, the sign-in).
 * A browser may send `text/plain` (or no type) across origins without asking first, so a
 * handler that reads JSON whatever the type would take such a page's `{"status":…}`.
 */
import type { Context, MiddlewareHandler } from "hono";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export type BodyKind = "json" | "form";

/** What the request's Content-Type says its body is; undefined for anything else or none. */
export function bodyKind(c: Context): BodyKind | undefined {
  const header = c.req.header("content-type");
  if (header === "application/json") return "json"; // what nearly every client sends, as it is
  const type = (header ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || /^application\/[\w.+-]+\+json$/.test(type)) return "json";
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") return "form";
  return undefined;
}

/** 415 with the reason unless the body is one of `kinds`. */
export function unsupported(c: Context, kinds: readonly BodyKind[]): Response | undefined {
  const kind = bodyKind(c);
  if (kind && kinds.includes(kind)) return undefined;
  const expected = kinds.map((k) => (k === "json" ? "application/json" : "a form")).join(" or ");
  const got = c.req.header("content-type");
  return c.json(
    { message: `content-type: expected ${expected}, got ${got ? `'${got}'` : "none"}` },
    415,
  );
}

/** Every write with a body: JSON or a form, nothing else (routes narrow it further). */
export function writeContentTypes(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const length = c.req.header("content-length");
    const hasBody = length !== undefined ? length !== "0" : c.req.raw.body !== null;
    if (!hasBody && !c.req.header("content-type")) return next();
    return unsupported(c, ["json", "form"]) ?? next();
  };
}
