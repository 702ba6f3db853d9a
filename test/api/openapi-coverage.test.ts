/**
 * Every route the real `iot serve` app registers is in /openapi.json, and everything documented
 * is a route: a route added without an Operation fails here. The dashboard's HTML pages, its
 * live events and the static assets are not API and are left out, by prefix, below.
 */
import { afterAll, expect, test } from "bun:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { parseArgs, resolveOptions } from "../../src/core/config/index.ts";
import { silentLogger } from "../../src/core/log/index.ts";
import { views } from "../../src/http/dashboard/views/index.ts";
import { openApiDocument, openApiPath, operations } from "../../src/http/openapi/index.ts";
import { serveOptions, startServe } from "../../src/serve/index.ts";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";

/**
 * Not API: HTML pages (GET only), the SSE stream, the stylesheet/scripts, and the console's
 * settings pages with their own forms (HTML answers, admin-only when exposed).
 */
const excluded = (method: string, path: string) =>
  path.startsWith("/static/") ||
  path.startsWith("/settings/") ||
  (method === "GET" &&
    (path === "/events" || path === "/login" || Object.values(views).some((v) => path === v.path)));

const dirs = tempDirs("iot-openapi-");
afterAll(() => dirs.cleanup());

test("the document is valid OpenAPI 3.1 (and the validator does reject a broken one)", async () => {
  const doc = openApiDocument(operations, { version: "test" });
  expect(await new Validator().validate(doc as never)).toEqual({ valid: true });
  const broken = structuredClone(doc) as { paths: Record<string, Record<string, unknown>> };
  (broken.paths["/office_status"]!.post as { parameters?: unknown }).parameters = [{ in: "body" }];
  expect((await new Validator().validate(broken as never)).valid).toBe(false);
});

test("every API and collector route of the real app is documented, and nothing else", async () => {
  const opts = resolveOptions(
    serveOptions,
    parseArgs(
      [
        "--data-dir",
        dirs.make(),
        "--http-port",
        String(await freePort()),
        "--kafka-port",
        String(await freePort()),
        "--mqtt-port",
        String(await freePort()),
      ],
      serveOptions.specs,
      "serve",
    ).flags,
    {},
  );
  const running = await startServe(opts, silentLogger);
  try {
    const routes = new Set(
      running.routes
        .filter((r) => r.method !== "ALL") // middleware
        .filter((r) => !excluded(r.method, r.path))
        .map((r) => `${r.method} ${openApiPath(r.path)}`),
    );
    const doc = openApiDocument(operations, { version: "test" }) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect({ undocumented: [...routes].filter((r) => !documented.has(r)).sort() }).toEqual({
      undocumented: [],
    });
    expect({ notRoutes: [...documented].filter((r) => !routes.has(r)).sort() }).toEqual({
      notRoutes: [],
    });
    expect(routes.size).toBeGreaterThan(20);
  } finally {
    await running.stop();
  }
});
