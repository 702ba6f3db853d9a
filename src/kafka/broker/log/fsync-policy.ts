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
export interface GroupCommitHooks<Mark = unknown> {
  /** a sync round begins: it covers everything written before now (what it returns comes back) */
  begin?(): Mark;
  /** that round succeeded, and every round that began before it */
  synced?(mark: Mark): void;
  /** a round failed: its waiters, those of later rounds and every queued one are rejected */
  failed?(err: unknown): void;
  /** the sync itself (default `fs.fdatasync`): the seam through which tests make it fail */
  fdatasync?: (fd: number, done: (err: unknown) => void) => void;
}

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

interface Round<Mark> {
  waiters: Waiter[];
  mark: Mark;
  /** its fdatasync returned: undefined while in flight, null on success */
  outcome?: { err: unknown };
}

/**
 * Coalesces fdatasync calls on one file descriptor: each waiter gets a sync that began after it.
 * Up to `depth` rounds overlap: a waiter who came while a sync runs gets a round of its own at
 * the end of that event-loop turn (with everyone else of that turn) instead of after the running
 * one returns — an append then waits one sync, not up to two. Rounds settle in the order they
 * began. A failed sync fails its round, the later ones and the queued waiters too: after a failed
 * fdatasync the kernel may have dropped the dirty pages, so a later sync's success would prove
 * nothing about them.
 */
export class GroupCommit<Mark = unknown> {
  private waiting: Waiter[] = [];
  private rounds: Round<Mark>[] = [];
  /** fdatasync calls not returned yet (rounds given up after a failure included) */
  private calls = 0;
  private scheduled = false;
  private idle: Array<() => void> = [];
  /** fdatasync calls made (a metric, and how tests see the coalescing) */
  syncs = 0;

  constructor(
    private readonly fd: () => number,
    private readonly hooks: GroupCommitHooks<Mark> = {},
    private readonly depth = 2,
  ) {}

  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (this.calls === 0) this.run();
      else if (!this.scheduled && this.calls < this.depth) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (this.waiting.length > 0 && this.calls < this.depth) this.run();
        });
      }
    });
  }

  /** Runs `f` once no fdatasync is in flight (now, if none is). */
  whenIdle(f: () => void): void {
    if (this.calls > 0) this.idle.push(f);
    else f();
  }

  private run(): void {
    const round: Round<Mark> = { waiters: this.waiting, mark: undefined as Mark };
    this.waiting = [];
    this.calls++;
    this.syncs++;
    round.mark = this.hooks.begin?.() as Mark;
    this.rounds.push(round);
    const done = (err: unknown) => {
      this.calls--;
      round.outcome = { err };
      this.settle();
      if (this.waiting.length > 0 && this.calls < this.depth) this.run();
      else if (this.calls === 0) for (const f of this.idle.splice(0)) f();
    };
    try {
      (this.hooks.fdatasync ?? fdatasync)(this.fd(), done);
    } catch (e) {
      queueMicrotask(() => done(e)); // a bad descriptor: refused like a failed sync
    }
  }

  /** rounds settle oldest first: a success waits for the rounds begun before it */
  private settle(): void {
    while (this.rounds.length > 0 && this.rounds[0]!.outcome) {
      const round = this.rounds.shift()!;
      const { err } = round.outcome!;
      if (!err) {
        this.hooks.synced?.(round.mark);
        for (const w of round.waiters) w.resolve();
        continue;
      }
      // the later rounds are given up (their syncs still count in `calls` until they return)
      const all = round.waiters.concat(
        ...this.rounds.splice(0).map((r) => r.waiters),
        this.waiting.splice(0),
      );
      this.hooks.failed?.(err);
      for (const w of all) w.reject(err);
    }
  }
}
