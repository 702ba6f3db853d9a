/**
 * The disk alert on a disk with no room left (a real tmpfs; root only, skipped elsewhere): the
 * reserve is released so the alert is stored anyway, and retaken when the episode ends.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Alerts } from "../alerts/index.ts";
import { EventBus } from "../events/index.ts";
import { createLogger } from "../core/log/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { openStore } from "../store/index.ts";
import { mountTmpfs } from "../../test/support/tmpfs.ts";
import { alertOnDisk } from "./alert.ts";
import { SpaceReserve } from "./reserve.ts";
import { DiskWatch } from "./watch.ts";
import { engineOf } from "../../test/support/sqlite-engine.ts";

const tmpfs = mountTmpfs(4, "iot-alert-full-");
afterAll(() => tmpfs?.unmount());

describe.skipIf(!tmpfs)("disk alert on a full disk", () => {
  test("stored by releasing the reserve; cleared and the reserve retaken after", async () => {
    const dir = tmpfs!.dir;
    const store = openStore(join(dir, "iot.db"));
    try {
      const log = createLogger("silent");
      const watch = new DiskWatch({ dir, minFreeBytes: 0, log, metrics: new MetricsRegistry() });
      const reserve = new SpaceReserve(join(dir, ".iot-disk-reserve"));
      const stored = alertOnDisk(
        watch,
        new Alerts(engineOf(store.db), new EventBus()),
        dir,
        log,
        reserve,
      );
      expect(existsSync(reserve.path)).toBe(true);
      // fill the WAL's room too: rows until SQLite itself is refused
      const insert = store.sqlite.prepare("INSERT INTO readings (device_id, ts) VALUES (?, ?)");
      tmpfs!.fill();
      expect(() => {
        for (let i = 0; i < 100_000; i++) insert.run("x".repeat(500), i);
      }).toThrow();
      watch.refused("kafka", Object.assign(new Error("full"), { code: "ENOSPC" }));
      await stored.settled();
      const alerts = () =>
        store.sqlite.query("SELECT kind, state FROM alerts").all() as Array<{ state: string }>;
      expect(alerts()).toEqual([{ kind: "disk", state: "open" }] as never);
      expect(existsSync(reserve.path)).toBe(false);
      tmpfs!.unfill();
      watch.accepted("kafka");
      await stored.settled();
      expect(alerts()).toEqual([{ kind: "disk", state: "cleared" }] as never);
      expect(existsSync(reserve.path)).toBe(true);
    } finally {
      store.close();
    }
  });
});
