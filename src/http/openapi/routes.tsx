/** @jsxImportSource hono/jsx */
/**
 * `GET /openapi.json` and `GET /docs`, built once per origin from the operations. The operations
 * (every route's schemas and examples) are loaded at the first request, not at start-up.
 */
import { Hono } from "hono";
import { openApiDocument } from "./document.ts";
import { DocsPage } from "./docs.tsx";
import type { Operation } from "./operation.ts";

export function openApiRoutes(version: string, operations?: Operation[]) {
  let loaded: Promise<Operation[]> | undefined;
  const all = () =>
    (loaded ??= operations
      ? Promise.resolve(operations)
      : import("./operations.ts").then((m) => m.operations));
  const docs = new Map<string, Record<string, unknown>>();
  // the curl lines name the origin the reader used; a few origins at most, so keep them
  const doc = async (origin: string) => {
    let d = docs.get(origin);
    if (!d) {
      d = openApiDocument(await all(), { version, base: origin });
      if (docs.size < 8) docs.set(origin, d);
    }
    return d;
  };
  return new Hono()
    .get("/openapi.json", async (c) => c.json(await doc(new URL(c.req.url).origin)))
    .get("/docs", async (c) => c.html(<DocsPage doc={await doc(new URL(c.req.url).origin)} />));
}
