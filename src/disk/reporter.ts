/**
 * How a component that writes to disk tells the disk watch what happened. `accepted` is called
 * on the hot path, so implementations make it a no-op unless that source was failing.
 */
export interface DiskReporter {
  /** a write by `source` was refused by the disk (full, quota, I/O error) */
  refused(source: string, err: unknown): void;
  /** a write by `source` succeeded: if it was failing, that episode is over */
  accepted(source: string): void;
}

export const ignoreDisk: DiskReporter = { refused: () => {}, accepted: () => {} };
