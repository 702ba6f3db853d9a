/**
 * Committed offsets past their log's end. A log cut back (a torn tail dropped at recovery, an
 * unsynced tail dropped after a failed fsync) loses its last records: a group that had consumed
 * them has committed an offset past the new end, and the offsets in between will be given to
 * new records. Left alone, the group would skip those new records as soon as the log grew past
 * its old offset again. Everything still in the log below the end was consumed (the committed
 * offset was past it), so the group goes on from the end: the truncation point, which is what a
 * Kafka consumer resets to when it detects a truncation (KIP-320). Offsets of topics that no
 * longer exist go (their deletion did not reach the offsets file).
 */
import type { Logger } from "../../../core/log/index.ts";
import type { LogManager } from "../log/index.ts";
import type { OffsetStore } from "./offset-store.ts";

export async function resetOffsetsPastTheEnd(
  offsets: OffsetStore,
  logs: LogManager,
  log: Logger,
  only?: { topic: string; partition: number },
): Promise<void> {
  for (const group of offsets.groups()) {
    for (const c of offsets.list(group)) {
      if (only && (c.topic !== only.topic || c.partition !== only.partition)) continue;
      const partitionLog = logs.partition(c.topic, c.partition);
      const end = partitionLog?.highWatermark ?? -1;
      if (partitionLog && c.offset <= end) continue;
      const fields = { group, topic: c.topic, partition: c.partition, from: c.offset, to: end };
      const why = partitionLog ? "past the log end (log truncated)" : "topic no longer exists";
      log.warn("consumer group offset reset", { ...fields, why });
      await offsets.commit(group, [{ ...c, offset: end }]); // -1 removes it
    }
  }
}
