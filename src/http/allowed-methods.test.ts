import { describe, expect, test } from "bun:test";
import { allowedMethods, routePattern } from "./allowed-methods.ts";

describe("allowedMethods", () => {
  const routes = [
    { method: "ALL", path: "/*" },
    { method: "GET", path: "/api/devices" },
    { method: "GET", path: "/api/alerts" },
    { method: "POST", path: "/api/alerts/:id/ack" },
    { method: "DELETE", path: "/api/devices/:id{[^/]+}" },
  ];

  test("the methods registered on a path, HEAD with GET; middleware does not count", () => {
    expect(allowedMethods(routes, "/api/devices")).toEqual(["GET", "HEAD"]);
    expect(allowedMethods(routes, "/api/alerts/12/ack")).toEqual(["POST"]);
    expect(allowedMethods(routes, "/api/devices/pi-1")).toEqual(["DELETE"]);
  });

  test("a path no route has: nothing", () => {
    expect(allowedMethods(routes, "/api/nope")).toEqual([]);
    expect(allowedMethods(routes, "/api/alerts/12/ack/more")).toEqual([]);
    expect(allowedMethods(routes, "/api/devicesX")).toEqual([]);
  });

  test("patterns: parameters take one segment, * takes the rest, dots are literal", () => {
    expect(routePattern("/images/:file").test("/images/a.jpg")).toBe(true);
    expect(routePattern("/images/:file").test("/images/a/b")).toBe(false);
    expect(routePattern("/static/*").test("/static/x/y.js")).toBe(true);
    expect(routePattern("/a.b").test("/aXb")).toBe(false);
    expect(routePattern("/api/x/:id?").test("/api/x")).toBe(true);
    expect(routePattern("/api/x/:id?").test("/api/x/3")).toBe(true);
  });
});
