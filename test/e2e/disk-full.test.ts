/**
 * Disk full under load (a 48 MiB tmpfs as the data dir; needs root, skipped elsewhere): the
 * alert shows before writes fail, refused writes are visible in /healthz, the collector says
 * 503 with the reason, no MQTT message is acknowledged that is durable nowhere, and once space
 * returns everything resumes — after a restart every PUBACKed reading is stored exactly once
 * and the Kafka logs reopen without a cut tail. The experiment is the chaos scenario's.
 */
import { describe, expect, test } from "bun:test";
import { runDiskFull } from "../../bench/chaos/disk-full-run.ts";
import { mountTmpfs } from "../support/tmpfs.ts";

const canMount = (() => {
  const probe = mountTmpfs(1, "iot-probe-");
  probe?.unmount();
  return probe !== null;
})();

describe.skipIf(!canMount)("disk full", () => {
  test("refused cleanly with an alert, recovered when space returns, nothing lost or doubled", async () => {
    const r = (await runDiskFull({ quick: true, log: () => {} }))!;
    expect(r.alert?.kind).toBe("disk");
    // "nearly full" when the watermark check came first, "full" when a write was refused first
    expect(r.alert?.message).toMatch(/^disk (nearly )?full: [\d.]+ MiB free of 48\.0 MiB/);
    expect(r.healthWhileFull?.state).toBe("down");
    const refusing = Object.values(r.healthWhileFull?.detail?.refusing ?? {});
    expect(refusing.length).toBeGreaterThan(0);
    for (const code of refusing) expect(code).toMatch(/^(ENOSPC|SQLITE_FULL)$/);
    expect(r.collectorWhileFull).toEqual({
      status: 503,
      message: "Kafka refuses writes: its disk is full or failing; retry later",
    });
    expect(r.alertClearedAfterRecovery).toBe(true);
    expect(r.acknowledged).toBeGreaterThan(500);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.stored).toBe(r.acknowledged);
    expect(r.restartTruncations).toEqual([]);
    // refused publishes closed connections, yet the log tells the episode once, not per message
    expect(r.reconnects).toBeGreaterThan(0);
    const lines = (re: RegExp) => r.serverLog.filter((l) => re.test(l));
    expect(lines(/disk episode begins/)).toHaveLength(1);
    expect(lines(/disk episode over/)).toHaveLength(1);
    expect(
      lines(
        /publish not accepted|spool append failed|kafka produce failed|Failed to send messages/,
      ),
    ).toEqual([]);
  }, 240_000);
});
