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

/** What the owner of the file learns about each sync round. */
export interface GroupCommitHooks {
  /** a sync round begins: it covers everything written before now */
  begin?(): void;
  /** that round succeeded */
  synced?(): void;
  /** that round failed: its waiters and every queued one are rejected (never told success) */
  failed?(err: unknown): void;
  /** the sync itself (default `fs.fdatasync`): the seam through which tests make it fail */
  fdatasync?: (fd: number, done: (err: unknown) => void) => void;
}

/**
 * Coalesces fdatasync calls on one file descriptor: each waiter gets a sync that began after it.
 * A failed sync fails its round and the queued waiters too: after a failed fdatasync the kernel
 * may have dropped the dirty pages, so a later sync's success would prove nothing about them.
 */
export class GroupCommit {
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private syncing = false;
  private idle: Array<() => void> = [];
  /** fdatasync calls made (a metric, and how tests see the coalescing) */
  syncs = 0;

  constructor(
    private readonly fd: () => number,
    private readonly hooks: GroupCommitHooks = {},
  ) {}

  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.syncing) this.run();
    });
  }

  /** Runs `f` once no fdatasync is in flight (now, if none is). */
  whenIdle(f: () => void): void {
    if (this.syncing) this.idle.push(f);
    else f();
  }

  private run(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.syncing = true;
    this.syncs++;
    this.hooks.begin?.();
    const done = (err: unknown) => {
      if (err) {
        const all = batch.concat(this.waiting.splice(0));
        this.hooks.failed?.(err);
        for (const w of all) w.reject(err);
      } else {
        this.hooks.synced?.();
        for (const w of batch) w.resolve();
      }
      this.syncing = false;
      if (this.waiting.length > 0) this.run();
      else for (const f of this.idle.splice(0)) f();
    };
    try {
      (this.hooks.fdatasync ?? fdatasync)(this.fd(), done);
    } catch (e) {
      queueMicrotask(() => done(e)); // a bad descriptor: refused like a failed sync
    }
  }
}
