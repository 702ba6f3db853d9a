/** @jsxImportSource hono/jsx */
/** `GET /openapi.json` and `GET /docs`, built once per origin from the operations. */
import { Hono } from "hono";
import { openApiDocument } from "./document.ts";
import { DocsPage } from "./docs.tsx";
import type { Operation } from "./operation.ts";
import { operations as all } from "./operations.ts";

export function openApiRoutes(version: string, operations: Operation[] = all) {
  const docs = new Map<string, Record<string, unknown>>();
  // the curl lines name the origin the reader used; a few origins at most, so keep them
  const doc = (origin: string) => {
    let d = docs.get(origin);
    if (!d) {
      d = openApiDocument(operations, { version, base: origin });
      if (docs.size < 8) docs.set(origin, d);
    }
    return d;
  };
  return new Hono()
    .get("/openapi.json", (c) => c.json(doc(new URL(c.req.url).origin)))
    .get("/docs", (c) => c.html(<DocsPage doc={doc(new URL(c.req.url).origin)} />));
}
