import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { Alerts } from "../alerts/index.ts";
import { EventBus } from "../events/index.ts";
import { createLogger } from "../core/log/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { openStore } from "../store/index.ts";
import { alertOnDisk } from "./alert.ts";
import { DiskWatch } from "./watch.ts";
import { engineOf } from "../../test/support/sqlite-engine.ts";

function setup(minFreeBytes: number) {
  const lines: string[] = [];
  const metrics = new MetricsRegistry();
  const log = createLogger("info", "test", (l) => void lines.push(l));
  const watch = new DiskWatch({ dir: tmpdir(), minFreeBytes, log, metrics });
  const store = openStore(":memory:");
  const alerts = new Alerts(engineOf(store.db), new EventBus());
  const stored = alertOnDisk(watch, alerts, "/data", log);
  // the alert is written through the async store: what was seen so far, written
  const open = async () => {
    await stored.settled();
    return store.sqlite
      .query("SELECT kind, severity, state FROM alerts ORDER BY id")
      .all() as Array<{
      kind: string;
      severity: string;
      state: string;
    }>;
  };
  return { watch, metrics, lines, open };
}

describe("DiskWatch", () => {
  test("refused writes: one alert, one log line per episode end, health down; cleared on success", async () => {
    const { watch, metrics, lines, open } = setup(0);
    watch.check();
    expect(watch.health().state).toBe("up");
    const enospc = Object.assign(new Error("no space left"), { code: "ENOSPC" });
    for (let i = 0; i < 100; i++) watch.refused("kafka", enospc);
    expect(watch.health().state).toBe("down");
    expect(watch.health().detail?.problem).toContain("kafka (ENOSPC)");
    expect(await open()).toEqual([{ kind: "disk", severity: "critical", state: "open" }]);
    expect(metrics.render()).toContain('iot_disk_write_errors_total{source="kafka"} 100');
    expect(metrics.render()).toContain("iot_disk_refusing 1");
    const logged = lines.length;
    for (let i = 0; i < 100; i++) watch.accepted("kafka");
    expect(watch.health().state).toBe("up");
    expect(await open()).toEqual([{ kind: "disk", severity: "critical", state: "cleared" }]);
    expect(metrics.render()).toContain("iot_disk_refusing 0");
    expect(metrics.render()).toContain("iot_disk_episodes_total 1");
    expect(lines.length - logged).toBe(2); // "accepts writes again", "episode over"
  });

  test("free space under the watermark raises a warning before any write fails", async () => {
    const { watch, open } = setup(Number.MAX_SAFE_INTEGER);
    watch.check();
    expect(watch.condition().lowSpace).toBe(true);
    expect(watch.health().state).toBe("up"); // still writing
    expect(watch.describe()).toContain("below the");
    expect(await open()).toEqual([{ kind: "disk", severity: "warning", state: "open" }]);
  });
});

test("a component that refused and then stopped writing is cleared once a probe write succeeds", () => {
  const watch = new DiskWatch({
    dir: tmpdir(),
    minFreeBytes: 0,
    log: createLogger("silent"),
    metrics: new MetricsRegistry(),
  });
  watch.refused("bridge-spool", Object.assign(new Error("full"), { code: "ENOSPC" }));
  expect(watch.active).toBe(true);
  watch.check(); // this disk has room: the probe succeeds
  expect(watch.active).toBe(false);
  expect(readdirSync(tmpdir())).not.toContain(".iot-disk-probe");
});

test("below the watermark a write that still fit does not end the refusal (no flapping)", () => {
  const watch = new DiskWatch({
    dir: tmpdir(),
    minFreeBytes: Number.MAX_SAFE_INTEGER,
    log: createLogger("silent"),
    metrics: new MetricsRegistry(),
  });
  watch.check();
  watch.refused("kafka", Object.assign(new Error("full"), { code: "ENOSPC" }));
  watch.accepted("kafka");
  expect(watch.condition().refusing).toEqual({ kafka: "ENOSPC" });
});
