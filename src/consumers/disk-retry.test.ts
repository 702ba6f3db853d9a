/**
 * A sink's write on a full disk (real SQLite on a real tmpfs; root only, skipped elsewhere):
 * refused with SQLITE_FULL, reported, retried with backoff, stored once space returns.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore } from "../store/index.ts";
import { mountTmpfs } from "../../test/support/tmpfs.ts";
import { retryOnFullDisk } from "./disk-retry.ts";

const tmpfs = mountTmpfs(2, "iot-sink-full-");
afterAll(() => tmpfs?.unmount());

describe.skipIf(!tmpfs)("retryOnFullDisk", () => {
  test("SQLITE_FULL: the batch is retried, heartbeating, until space returns", async () => {
    const store = openStore(join(tmpfs!.dir, "iot.db"));
    try {
      const insert = store.sqlite.prepare("INSERT INTO readings (device_id, ts) VALUES (?, ?)");
      const batch = store.sqlite.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run("x".repeat(400), i);
      });
      tmpfs!.fill();
      const events: string[] = [];
      let heartbeats = 0;
      const stored = retryOnFullDisk(() => batch(), {
        source: "sqlite:readings",
        disk: {
          refused: (s, e) => void events.push(`refused ${s} ${(e as { code: string }).code}`),
          accepted: (s) => void events.push(`accepted ${s}`),
        },
        isRunning: () => true,
        heartbeat: async () => {
          heartbeats++;
          if (heartbeats === 2) tmpfs!.unfill(); // space returns during the episode
        },
        minDelayMs: 10,
      });
      await stored;
      expect(events[0]).toBe("refused sqlite:readings SQLITE_FULL");
      expect(events.at(-1)).toBe("accepted sqlite:readings");
      expect(heartbeats).toBeGreaterThanOrEqual(2);
      const { n } = store.sqlite.query("SELECT count(*) AS n FROM readings").get() as { n: number };
      expect(n).toBe(500); // the rolled-back attempts left nothing behind: stored once
    } finally {
      store.close();
    }
  });

  test("other errors are not retried", async () => {
    const boom = new Error("bad row");
    const disk = { refused: () => {}, accepted: () => {} };
    const run = retryOnFullDisk(
      () => {
        throw boom;
      },
      { source: "s", disk, isRunning: () => true, heartbeat: async () => {} },
    );
    await expect(run).rejects.toBe(boom);
  });
});
