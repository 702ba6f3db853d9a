import { describe, expect, test } from "bun:test";
import { MetricsRegistry } from "./registry.ts";

describe("MetricsRegistry", () => {
  test("renders counters and gauges in Prometheus text format", () => {
    const m = new MetricsRegistry();
    const c = m.counter("iot_http_requests_total", "HTTP requests");
    c.inc({ route: "/healthz", code: "200" });
    c.inc({ code: "200", route: "/healthz" }, 2);
    m.gauge("iot_up", "1 when up").set(1);
    const text = m.render();
    expect(text).toContain("# TYPE iot_http_requests_total counter\n");
    expect(text).toContain('iot_http_requests_total{code="200",route="/healthz"} 3\n');
    expect(text).toContain("# TYPE iot_up gauge\niot_up 1\n");
  });

  test("escapes label values and computes collected gauges at scrape time", () => {
    const m = new MetricsRegistry();
    let depth = 4;
    m.collect("iot_queue_depth", "queued", () => [{ labels: { q: 'a"b\\' }, value: depth }]);
    depth = 7;
    expect(m.render()).toContain('iot_queue_depth{q="a\\"b\\\\"} 7\n');
  });

  test("rejects invalid names and kind clashes", () => {
    const m = new MetricsRegistry();
    expect(() => m.counter("bad-name", "x")).toThrow();
    m.counter("iot_x", "x");
    expect(() => m.gauge("iot_x", "x")).toThrow();
  });

  test("a series resolved once counts into the same line as inc with those labels", () => {
    const m = new MetricsRegistry();
    const c = m.counter("iot_msgs_total", "messages");
    const bridged = c.series({ outcome: "bridged" });
    expect(m.render()).not.toContain("iot_msgs_total{"); // nothing shown before the first inc
    bridged.inc();
    bridged.inc(4);
    c.inc({ outcome: "bridged" });
    c.series().inc(2);
    expect(c.get({ outcome: "bridged" })).toBe(6);
    expect(m.render()).toContain('iot_msgs_total{outcome="bridged"} 6\niot_msgs_total 2\n');
  });
});
