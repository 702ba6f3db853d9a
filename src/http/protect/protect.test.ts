import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { Health } from "../../health/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import { createApp } from "../app.tsx";
import { hostName, hostPolicy } from "./index.ts";

function app(hosts = hostPolicy({ bind: "127.0.0.1" })) {
  let writes = 0;
  const r = new Hono()
    .get("/api/x", (c) => c.json([]))
    .post("/w", (c) => {
      writes++;
      return c.json({ ok: true });
    });
  const a = createApp({
    health: new Health(),
    metrics: new MetricsRegistry(),
    version: "t",
    routers: [r],
    hosts,
  });
  return { a, writes: () => writes };
}

const json = { "content-type": "application/json" };
const post = (headers: Record<string, string>, body = "{}") => ({ method: "POST", headers, body });

describe("Host (DNS rebinding)", () => {
  test("localhost and IP literals are answered, any other name is 400 with the reason", async () => {
    const { a } = app();
    for (const host of ["localhost:5000", "127.0.0.1:5000", "[::1]:5000", "10.0.0.7", "LOCALHOST."])
      expect({ host, status: (await a.request(`http://${host}/api/x`)).status }).toEqual({
        host,
        status: 200,
      });
    const res = await a.request("http://evil.example:5000/api/x");
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain("--allowed-hosts");
    expect((await a.request("http://evil.example:5000/healthz")).status).toBe(400);
  });

  test("--allowed-hosts adds names, '.name' its subdomains, '*' anything", async () => {
    const { a } = app(hostPolicy({ bind: "0.0.0.0", allowed: ["iot.lan", ".example.com"] }));
    for (const host of ["iot.lan:5000", "a.example.com", "example.com"])
      expect((await a.request(`http://${host}/api/x`)).status).toBe(200);
    expect((await a.request("http://badexample.com/api/x")).status).toBe(400);
    const any = app(hostPolicy({ bind: "127.0.0.1", allowed: ["*"] })).a;
    expect((await any.request("http://whatever/api/x")).status).toBe(200);
  });

  test("hostName parses Host and Origin authorities", () => {
    expect(hostName("[::1]:5000")).toBe("::1");
    expect(hostName("Pi.local:80")).toBe("pi.local");
    expect(hostName("a b")).toBeUndefined();
    expect(hostName("user@x")).toBeUndefined();
  });
});

describe("cross-origin writes (CSRF)", () => {
  const here = "http://127.0.0.1:5000/w";
  test("another origin, another port, 'null' or a cross-site fetch are 403; nothing is written", async () => {
    const { a, writes } = app();
    for (const headers of <Array<Record<string, string>>>[
      { origin: "http://evil.example" },
      { origin: "http://127.0.0.1:8080" }, // same site, another port
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "http://127.0.0.1:8080" },
    ]) {
      const res = await a.request(here, post({ ...json, ...headers }));
      expect({ headers, status: res.status }).toEqual({ headers, status: 403 });
      expect((await res.json()).message).toStartWith("cross-origin write refused");
    }
    expect(writes()).toBe(0);
  });

  test("the same origin, and clients that are not browsers (no Origin), may write", async () => {
    const { a, writes } = app();
    expect((await a.request(here, post(json))).status).toBe(200);
    expect((await a.request(here, post({ ...json, origin: "http://127.0.0.1:5000" }))).status).toBe(
      200,
    );
    const fetchMeta = { ...json, origin: "http://127.0.0.1:5000", "sec-fetch-site": "same-origin" };
    expect((await a.request(here, post(fetchMeta))).status).toBe(200);
    expect(writes()).toBe(3);
  });

  test("an origin on a configured name is trusted (a proxy in front)", async () => {
    const { a } = app(hostPolicy({ bind: "127.0.0.1", allowed: ["iot.example.com"] }));
    const proxied = { ...json, origin: "https://iot.example.com", "sec-fetch-site": "cross-site" };
    expect((await a.request(here, post(proxied))).status).toBe(200);
  });
});

describe("content types on writes", () => {
  test("text/plain and other types are 415 with the reason; JSON and forms pass", async () => {
    const { a, writes } = app();
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/xml"]) {
      const res = await a.request(here(), post({ "content-type": type }));
      expect(res.status).toBe(415);
      expect((await res.json()).message).toContain(
        "content-type: expected application/json or a form",
      );
    }
    const noType = await a.request(here(), { method: "POST", body: "{}" });
    expect(noType.status).toBe(415);
    expect(
      (await a.request(here(), post({ "content-type": "application/json; charset=utf-8" }))).status,
    ).toBe(200);
    expect(
      (
        await a.request(
          here(),
          post({ "content-type": "application/x-www-form-urlencoded" }, "a=1"),
        )
      ).status,
    ).toBe(200);
    expect((await a.request(here(), { method: "POST" })).status).toBe(200); // no body at all
    expect(writes()).toBe(3);
  });
  const here = () => "http://localhost/w";
});
