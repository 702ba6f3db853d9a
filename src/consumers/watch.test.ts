import { expect, test } from "bun:test";
import { Health } from "../health/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { ConsumerWatch } from "./watch.ts";

function setup(maxLag = 1000) {
  let t = 1_000_000;
  const metrics = new MetricsRegistry();
  const watch = new ConsumerWatch(metrics, {
    maxRestarts: 3,
    windowMs: 60_000,
    maxLag,
    now: () => t,
  });
  const health = new Health();
  health.register("consumers", () => watch.health());
  return { watch, metrics, health, tick: (ms: number) => (t += ms) };
}

test("three restarts without progress in the window make consumers degraded; progress clears it", () => {
  const { watch, metrics, health, tick } = setup();
  watch.progressed("readings");
  for (let i = 0; i < 2; i++) (tick(1000), watch.restarted("readings", "batch", new Error("boom")));
  expect(health.report().status).toBe("ok");
  tick(1000);
  watch.restarted("readings", "crash", new Error("ENOTDIR: not a directory"));
  const report = health.report();
  expect(report.status).toBe("degraded");
  expect(report.components.consumers!.state).toBe("degraded");
  expect(report.components.consumers!.detail).toMatchObject({
    consumers: { readings: { restarts: 3, lag: 0 } },
    problems: [
      "readings: crash loop, 3 restarts in the last 60 s without progress (last error: ENOTDIR: not a directory)",
    ],
  });
  expect(metrics.render()).toContain(
    'iot_consumer_restarts_total{consumer="readings",kind="batch"} 2',
  );
  expect(metrics.render()).toContain(
    'iot_consumer_restarts_total{consumer="readings",kind="crash"} 1',
  );
  tick(10);
  watch.progressed("readings");
  expect(health.report().status).toBe("ok");
});

test("another partition moving on is no recovery; the failing one moving on, or catching up, is", () => {
  const { watch, health, tick } = setup();
  for (let i = 0; i < 3; i++) {
    tick(1000);
    watch.restarted("readings", "batch", new Error("boom"), "temp_test/1");
    watch.progressed("readings", "temp_test/0");
  }
  expect(health.report().status).toBe("degraded");
  tick(10);
  watch.progressed("readings", "temp_test/1");
  expect(health.report().status).toBe("ok");
  tick(1000);
  watch.restarted("readings", "batch", "a", "temp_test/1");
  expect(health.report().status).toBe("degraded");
  tick(10);
  watch.progressed("readings"); // a fetch with nothing to handle: caught up everywhere
  expect(health.report().status).toBe("ok");
});

test("restarts spread wider than the window are no crash loop", () => {
  const { watch, health, tick } = setup();
  for (let i = 0; i < 5; i++) (tick(40_000), watch.restarted("rooms", "batch", "x"));
  expect(health.report().status).toBe("ok");
});

test("lag past the limit is degraded with the numbers; catching up clears it; a stop is down", () => {
  const { watch, metrics, health } = setup(1000);
  watch.lag("readings", "temp_test", 0, 700);
  watch.lag("readings", "temp_test", 1, 400);
  const report = health.report();
  expect(report.status).toBe("degraded");
  expect(report.components.consumers!.detail!.problems).toEqual([
    "readings: 1100 records behind (limit 1000)",
  ]);
  expect(metrics.render()).toContain('iot_consumer_lag{consumer="readings"} 1100');
  watch.lag("readings", "temp_test", 1, 0);
  expect(health.report().status).toBe("ok");
  watch.stopped("video", new Error("not retriable"));
  expect(health.report().components.consumers!.state).toBe("down");
});
