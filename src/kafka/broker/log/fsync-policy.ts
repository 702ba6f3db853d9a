/**
 * When appended bytes reach the disk.
 *
 * - `"always"`: a produce is acknowledged only after fdatasync of everything appended before it.
 *   Nothing acknowledged is lost on a power cut. Concurrent producers share one fdatasync
 *   (group commit), so the cost is one sync per round of requests, not one per request.
 * - a number of ms: a timer syncs dirty logs that often and acks do not wait. Faster on slow
 *   disks, but a power cut (not a process crash: the page cache survives that) can lose up to
 *   that many ms of acknowledged records.
 */
export type FsyncPolicy = "always" | number;

import { fdatasync } from "node:fs";

/** Coalesces fdatasync calls on one file descriptor: each waiter gets a sync that began after it. */
export class GroupCommit {
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private syncing = false;
  /** fdatasync calls made (a metric, and how tests see the coalescing) */
  syncs = 0;

  constructor(private readonly fd: () => number) {}

  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.syncing) this.run();
    });
  }

  private run(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.syncing = true;
    this.syncs++;
    fdatasync(this.fd(), (err) => {
      for (const w of batch) err ? w.reject(err) : w.resolve();
      this.syncing = false;
      if (this.waiting.length > 0) this.run();
    });
  }
}
