import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { Health } from "../health/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { createApp } from "./app.tsx";

function setup(state: "up" | "down" = "up") {
  const health = new Health();
  health.register("store", () => ({ state }));
  const metrics = new MetricsRegistry();
  return createApp({ health, metrics, version: "1.2.3-test" });
}

describe("HTTP skeleton", () => {
  test("GET /healthz reports each component and 200 when all are up", async () => {
    const res = await setup().request("/healthz");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      status: "ok",
      components: { store: { state: "up" } },
      version: "1.2.3-test",
    });
  });

  test("GET /healthz is 503 when a component is down", async () => {
    const res = await setup("down").request("/healthz");
    expect(res.status).toBe(503);
    expect((await res.json()).status).toBe("degraded");
  });

  test("GET /metrics is Prometheus text and counts requests", async () => {
    const app = setup();
    await app.request("/healthz");
    const res = await app.request("/metrics");
    expect(res.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
    expect(await res.text()).toContain(
      'iot_http_requests_total{code="200",method="GET",route="/healthz"} 1',
    );
  });

  test("htmx and its SSE extension are served from the binary", async () => {
    const app = setup();
    for (const asset of ["htmx.min.js", "sse.min.js"]) {
      const js = await app.request(`/static/${asset}`);
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toContain("javascript");
      expect((await js.text()).length).toBeGreaterThan(1000);
    }
    expect((await app.request("/static/nope.js")).status).toBe(404);
  });

  test("a body over maxBodyBytes is 413 with the reason, by Content-Length or once streamed", async () => {
    let reached = 0;
    const echo = new Hono().post("/echo", async (c) => {
      reached++;
      return c.json({ bytes: (await c.req.arrayBuffer()).byteLength });
    });
    const app = createApp({
      health: new Health(),
      metrics: new MetricsRegistry(),
      version: "t",
      routers: [echo],
      maxBodyBytes: 1024,
    });
    const declared = await app.request("/echo", {
      method: "POST",
      body: "x",
      headers: { "content-length": String(1 << 30), "content-type": "application/json" },
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ message: "body: larger than 1024 bytes" });
    const chunks = new ReadableStream({
      pull: (c) => c.enqueue(new Uint8Array(300)), // endless, no length
    });
    const streamed = await app.request(
      new Request("http://localhost/echo", {
        method: "POST",
        body: chunks,
        headers: { "content-type": "application/json" },
      }),
    );
    expect(streamed.status).toBe(413);
    expect(reached).toBe(0);
    const fits = await app.request("/echo", {
      method: "POST",
      body: "y".repeat(1024),
      headers: { "content-type": "application/json" },
    });
    expect(await fits.json()).toEqual({ bytes: 1024 });
  });

  test("unknown paths: the 404 page in the layout for browsers, JSON otherwise; 405 with Allow", async () => {
    const api = new Hono()
      .get("/api/things", (c) => c.json([]))
      .post("/api/things/:id/ack", (c) => c.json({}));
    const app = createApp({
      health: new Health(),
      metrics: new MetricsRegistry(),
      version: "9.9.9",
      routers: [api],
    });
    const page = await app.request("/nope", { headers: { accept: "text/html,*/*" } });
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toStartWith("<!DOCTYPE html>");
    expect(html).toContain("There is no page at /nope");
    expect(html).toContain("iot 9.9.9");
    const script = await app.request("/nope");
    expect(script.status).toBe(404);
    expect(await script.json()).toEqual({ message: "/nope: not found" });
    const unknownApi = await app.request("/api/nope", { headers: { accept: "text/html" } });
    expect([unknownApi.status, await unknownApi.json()]).toEqual([
      404,
      { message: "/api/nope: no such API route" },
    ]);
    const wrong = await app.request("/api/things", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD");
    const ack = await app.request("/api/things/3/ack");
    expect([ack.status, ack.headers.get("allow")]).toEqual([405, "POST"]);
  });
});
