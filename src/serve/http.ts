/**
 * The HTTP listener: Bun.serve around the hono app, with the limits a hostile or careless
 * client meets. A connection silent for `idleTimeoutSeconds` (a body that stops arriving, a
 * keep-alive nobody reuses) is closed; event streams (the dashboard's SSE, `/video_feed`) may
 * stay quiet for longer, so their requests have no idle timeout. More than `maxRequests`
 * requests in progress get 503 at once — except /healthz, which must answer when everything
 * else is full.
 */
import type { Server } from "bun";
import { rateLimited } from "../limits/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";

export interface HttpListenOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
  idleTimeoutSeconds: number;
  maxRequests: number;
  fetch: (req: Request, server: Server<undefined>) => Response | Promise<Response>;
  log: Logger;
  metrics: MetricsRegistry;
}

const streaming = /^(text\/event-stream|multipart\/x-mixed-replace)/;
const exempt = new Set(["/healthz"]);

export function listenHttp(opts: HttpListenOptions): Server<undefined> {
  const refused = opts.metrics.counter(
    "iot_connections_refused_total",
    "connections closed on accept: a listener's connection cap or per-address cap",
  );
  const warn = rateLimited((m, f) => opts.log.warn(m, f));
  const keepOpen = (req: Request, server: Server<undefined>) => (res: Response) => {
    if (streaming.test(res.headers.get("content-type") ?? "")) server.timeout(req, 0);
    return res;
  };
  try {
    return Bun.serve({
      hostname: opts.host,
      port: opts.port,
      tls: opts.tls,
      // The app's body limit answers 413 with a reason; Bun's own would answer it bare.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      idleTimeout: opts.idleTimeoutSeconds,
      fetch(req, server) {
        if (server.pendingRequests > opts.maxRequests && !exempt.has(pathOf(req.url))) {
          refused.inc({ listener: "http", reason: "max-requests" });
          warn("request refused: HTTP listener at its request limit", {
            limit: opts.maxRequests,
            remote: server.requestIP(req)?.address,
          });
          return Response.json(
            { message: "server busy: too many requests in progress" },
            { status: 503, headers: { "retry-after": "5", connection: "close" } },
          );
        }
        const res = opts.fetch(req, server);
        // only GET answers stream (SSE, /video_feed): a write goes back as it is, no extra hop
        if (req.method !== "GET") return res;
        return res instanceof Promise
          ? res.then(keepOpen(req, server))
          : keepOpen(req, server)(res);
      },
      error: (err) => {
        opts.log.error("http error", { err });
        return new Response("internal error", { status: 500 });
      },
    });
  } catch (e) {
    // Bun.serve's listen errors do not say where; add it, so the CLI can say which port is taken
    Object.assign(e as object, { address: opts.host, port: opts.port });
    throw e;
  }
}

/** The path of an absolute request URL, without parsing all of it. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.search(/[?#]/);
  return url.slice(start, end < 0 ? undefined : end);
}
