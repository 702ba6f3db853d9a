/**
 * Browser-borne requests from elsewhere: every request must name an allowed `Host` (DNS
 * rebinding), and a write from a browser must come from this very origin (CSRF) — judged by
 * `Sec-Fetch-Site` where the browser sends it, else by `Origin`. A request with neither header
 * is not from a browser (curl, the seeds' scripts): it goes on as before.
 */
import type { MiddlewareHandler } from "hono";
import type { HostPolicy } from "./hosts.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function crossOriginGuard(policy: HostPolicy): MiddlewareHandler {
  return async (c, next) => {
    const host = hostOf(c.req.url); // Bun builds the URL from the Host header
    if (host === null) return c.json({ message: "host: missing or malformed Host header" }, 400);
    if (!policy.hostAllowed(host))
      return c.json(
        {
          message: `host: '${host}' is not a name this server answers to (add it with --allowed-hosts)`,
        },
        400,
      );
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const trusted =
      origin !== undefined && origin !== "null" && policy.configured(authority(origin));
    if (site !== undefined) {
      if (site === "same-origin" || site === "none" || trusted) return next();
      return refuse(`a ${site} request may not write here`);
    }
    if (origin === undefined) return next();
    if (authority(origin) === host.toLowerCase() || trusted) return next();
    return refuse(`origin '${origin}' may not write here`);

    function refuse(why: string) {
      return c.json({ message: `cross-origin write refused: ${why}` }, 403);
    }
  };
}

/** A Host header Bun cannot make a URL of leaves the request's URL relative (`/api/readings`). */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

const authority = (origin: string) => {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return "";
  }
};
