import { afterEach, expect, test } from "bun:test";
import { pacedHttp } from "./paced-http.ts";

let server: ReturnType<typeof Bun.serve> | null = null;
afterEach(() => {
  server?.stop(true);
  server = null;
});

const request = (i: number) => ({
  method: "POST",
  path: "/office_status",
  body: JSON.stringify({ i }),
  contentType: "application/json",
});

test("every request sent once with its own body, answers counted by status", async () => {
  const seen: number[] = [];
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const { i } = (await req.json()) as { i: number };
      seen.push(i);
      return new Response("{}", { status: i % 10 === 0 ? 503 : 200 });
    },
  });
  const r = await pacedHttp({
    host: "127.0.0.1",
    port: server.port!,
    perSecond: 200,
    seconds: 0.5,
    connections: 4,
    request,
  });
  expect(r.sent).toBe(100);
  expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  expect([r.ok, r.errors]).toEqual([90, 10]);
});

test("a server slower than the rate shows as latency from the due time, not a slower load", async () => {
  // 2 connections × one answer per 50 ms = 40/s offered 100/s: the queue grows for a second
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch() {
      await Bun.sleep(50);
      return new Response("{}");
    },
  });
  const r = await pacedHttp({
    host: "127.0.0.1",
    port: server.port!,
    perSecond: 100,
    seconds: 1,
    connections: 2,
    request,
  });
  expect(r.ok).toBe(100);
  // the last ones were due at ~1 s but answered at ~2.5 s: a closed loop would say ~50 ms
  expect(r.maxMs).toBeGreaterThan(1000);
  expect(r.p50Ms).toBeGreaterThan(300);
});

test("a server that closes the connection after each answer is still served in full", async () => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => new Response("{}", { headers: { connection: "close" } }),
  });
  const r = await pacedHttp({
    host: "127.0.0.1",
    port: server.port!,
    perSecond: 200,
    seconds: 0.5,
    connections: 4,
    request,
  });
  expect([r.ok, r.errors]).toEqual([100, 0]);
});
