/**
 * The disk condition as one alert (kind "disk", subject the data dir): raised when an episode
 * begins, cleared when it ends. The alert lives in SQLite on that same disk, so writing it can
 * fail too; it is then tried again on the next check, and health and metrics show it meanwhile.
 */
import type { Alerts } from "../consumers/alerts.ts";
import type { Logger } from "../log/index.ts";
import type { DiskCondition, DiskWatch } from "./watch.ts";

export function alertOnDisk(watch: DiskWatch, alerts: Alerts, subject: string, log: Logger) {
  let stored: boolean | null = null; // unknown at start: an alert left open by a crash is cleared
  const sync = (c: DiskCondition) => {
    if (c.active === stored) return;
    try {
      if (c.active) {
        const refusing = Object.keys(c.refusing).length > 0;
        alerts.raise("disk", subject, watch.describe(), refusing ? "critical" : "warning");
      } else alerts.clear("disk", subject, "the disk accepts writes again");
      stored = c.active;
    } catch (e) {
      log.debug("disk alert not stored yet; retried on the next check", { err: e });
    }
  };
  sync(watch.condition());
  return watch.onChange(sync);
}
