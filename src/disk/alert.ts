/**
 * The disk condition as one alert (kind "disk", subject the data dir): raised when an episode
 * begins, cleared when it ends. The alert lives in SQLite on that same disk, so writing it can
 * fail too; it is then tried again on the next check, and health and metrics show it meanwhile.
 */
import type { Alerts } from "../alerts/index.ts";
import type { Logger } from "../core/log/index.ts";
import { isDiskError } from "../core/disk/errors.ts";
import type { SpaceReserve } from "./reserve.ts";
import type { DiskCondition, DiskWatch } from "./watch.ts";

export function alertOnDisk(
  watch: DiskWatch,
  alerts: Alerts,
  subject: string,
  log: Logger,
  reserve?: SpaceReserve,
) {
  let stored: boolean | null = null; // unknown at start: an alert left open by a crash is cleared
  const write = async (c: DiskCondition) => {
    if (c.active) {
      const refusing = Object.keys(c.refusing).length > 0;
      await alerts.raise("disk", subject, watch.describe(), refusing ? "critical" : "warning");
    } else await alerts.clear("disk", subject);
  };
  const sync = async (c: DiskCondition) => {
    if (c.active === stored) return;
    try {
      try {
        await write(c);
      } catch (e) {
        // no room even for the alert: free the reserve and write it at once, before anyone
        // else in this process can take the space
        if (!c.active || !isDiskError(e) || !reserve?.release()) throw e;
        log.warn("released the disk reserve to store the alert", { path: reserve.path });
        await write(c);
      }
      stored = c.active;
      if (!c.active) reserve?.ensure();
    } catch (e) {
      log.debug("disk alert not stored yet; retried on the next check", { err: e });
    }
  };
  // the store is async: one change written at a time, in order
  let last: Promise<void> = Promise.resolve();
  const queue = (c: DiskCondition) => void (last = last.then(() => sync(c)));
  if (!watch.active) reserve?.ensure();
  queue(watch.condition());
  const stop = watch.onChange(queue);
  return {
    stop,
    /** the changes seen so far are written (or failed) */
    settled: () => last,
  };
}
