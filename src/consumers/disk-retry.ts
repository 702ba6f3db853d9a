/**
 * A sink's batch when the disk is full (SQLITE_FULL, ENOSPC…): the transaction rolled back and
 * nothing is committed, so the same batch is tried again with backoff — heartbeating, so the
 * group keeps the partition — until it is stored or the consumer stops or rebalances.
 */
import { isDiskError } from "../core/disk/errors.ts";
import type { DiskReporter } from "../disk/reporter.ts";

export interface DiskRetryOptions {
  /** who is writing, for the disk watch: e.g. `sqlite:readings` */
  source: string;
  disk: DiskReporter;
  /** false once the consumer is stopping: the batch is then abandoned, uncommitted */
  isRunning: () => boolean;
  /** throws when the group rebalances: the batch is abandoned and redelivered */
  heartbeat: () => Promise<void>;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export async function retryOnFullDisk<T>(
  store: () => T | Promise<T>,
  o: DiskRetryOptions,
): Promise<T> {
  let delay = o.minDelayMs ?? 200;
  for (;;) {
    try {
      const result = await store();
      o.disk.accepted(o.source);
      return result;
    } catch (e) {
      if (!isDiskError(e) || !o.isRunning()) throw e;
      o.disk.refused(o.source, e);
    }
    await Bun.sleep(delay);
    delay = Math.min(delay * 2, o.maxDelayMs ?? 5000);
    if (!o.isRunning()) throw new Error("consumer stopping; batch left uncommitted");
    await o.heartbeat();
  }
}
