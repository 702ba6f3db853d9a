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

import { fdatasync, fdatasyncSync } from "node:fs";

/** What the owner of the file learns about each sync round. */
export interface GroupCommitHooks<Mark = unknown> {
  /**
   * a sync round begins: it covers everything written before now (what it returns comes back);
   * it may write what the round covers first — a throw fails the round as a failed sync would
   */
  begin?(): Mark;
  /** that round succeeded, and every round that began before it */
  synced?(mark: Mark): void;
  /** a round failed: its waiters, those of later rounds and every queued one are rejected */
  failed?(err: unknown): void;
  /**
   * the sync itself (default `fs.fdatasync`, or `fs.fdatasyncSync` for a round synced
   * `inline`): the seam through which tests make it fail. An inline round's seam should call
   * `done` before it returns, as fdatasyncSync would (the round is correct either way).
   */
  fdatasync?: (fd: number, done: (err: unknown) => void, inline?: boolean) => void;
}

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

/** How rounds are formed. */
export interface GroupCommitOptions {
  /** rounds in flight at once (default 2: who comes while a sync runs waits one sync, not two) */
  depth?: number;
  /**
   * The gather (default 0: none): a round begins no sooner than this many ms after the previous
   * one began, so a steady trickle shares syncs — at most 1000 / gatherMs per second, each ack
   * delayed by up to that much. A waiter who comes after a quiet spell, or a lone producer that
   * waits for each ack before it sends again, still gets a sync at once.
   */
  gatherMs?: number;
  /** ...unless at least this many bytes are waiting (default 4 KiB): a busy log never waits */
  gatherBytes?: number;
  /**
   * A quiet round (see `GroupCommit`) syncs on the calling thread while syncs are estimated to
   * take at most this many ms (default `defaultInlineSyncMaxMs`; 0: never)
   */
  inlineSyncMaxMs?: number;
}

/**
 * Bytes waiting that start a round at once despite the gather (the default): at a thousand
 * readings a second a 4 ms gather holds ~0.5 KiB; past ~1 KiB a ms on a partition the log is
 * busy enough to fill rounds without waiting.
 */
export const defaultGatherBytes = 4 << 10;

/**
 * Syncs estimated to take longer than this (an SD card: 10+ ms) are never made inline: they
 * would stall the event loop. On the dev box's disk one takes ~0.25 ms (~0.4 ms via the pool).
 */
export const defaultInlineSyncMaxMs = 1.5;

/** weight of the newest sync's duration in the running estimate (an EWMA) */
const syncEstimateWeight = 0.25;

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
 *
 * With a gather (`gatherMs`), a round also waits until that long after the previous one began,
 * unless `gatherBytes` are waiting: one publisher sending every ms no longer costs one sync per
 * message (each sync is a VM exit and a thread-pool hand-off), while a log that is busy, or was
 * quiet, syncs as soon as it would without it. It gathers only while waiters overlap (one came
 * while a sync ran or another waited), as PostgreSQL's commit_siblings: a producer that sends
 * only after each ack would wait the whole gather every time for nobody to join, so a gather
 * that ended with its waiter alone stops the gathering until waiters overlap again. Waiters
 * gathered are queued waiters: a failure before their round began fails them too.
 *
 * A quiet round — it began because its gather ended, or `gatherBytes` piled up slower than
 * they would on a busy log, with no sync in flight — syncs inline (`fdatasyncSync` on the event
 * loop's thread), as Redis's `appendfsync always` or a PostgreSQL backend's commit: at 1,000
 * readings/s (~250 such rounds/s) the thread pool's hop cost 148 µs of CPU per round against
 * 96 µs inline (two pool threads waking each other, then an eventfd to wake the loop). Rounds
 * under load (bytes piled up fast, a sync in flight, a waiter in haste, a close) keep the pool:
 * the loop must not block while it has work. Only while the running
 * estimate of a sync's duration (inline and pool syncs alike, none made yet: unknown) is at most
 * `inlineSyncMaxMs`, so a slow disk never stalls the loop for long. An inline sync that fails
 * fails its round a microtask later, exactly as a failed pool sync.
 */
export class GroupCommit<Mark = unknown> {
  private waiting: Waiter[] = [];
  /** bytes the waiting waiters appended (what `gatherBytes` is compared with) */
  private waitingBytes = 0;
  /**
   * the shortest gather a waiting waiter asked for (see `sync`); 0: one may not wait for a
   * gather, the next round begins as without one
   */
  private waitingGatherMs = Infinity;
  private rounds: Round<Mark>[] = [];
  /** fdatasync calls not returned yet (rounds given up after a failure included) */
  private calls = 0;
  private scheduled = false;
  /** the end of a gather: the next round begins when it fires */
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** when `timer` fires (performance.now()) */
  private timerDue = 0;
  /** when the last round began (performance.now()) */
  private lastStart = -Infinity;
  /** waiters overlapped lately: someone may join a round that waits (see the class comment) */
  private overlapping = false;
  /** someone waits for the syncs to end (a close): no more gathering */
  private draining = false;
  private idle: Array<() => void> = [];
  private readonly depth: number;
  private readonly gatherMs: number;
  private readonly gatherBytes: number;
  private readonly inlineSyncMaxMs: number;
  /** running estimate of a sync's wall time in ms (NaN: none measured yet) */
  private syncMsEstimate = NaN;
  /** fdatasync calls made (a metric, and how tests see the coalescing) */
  syncs = 0;
  /** of which made inline, on the calling thread */
  inlineSyncs = 0;

  constructor(
    private readonly fd: () => number,
    private readonly hooks: GroupCommitHooks<Mark> = {},
    opts: GroupCommitOptions = {},
  ) {
    this.depth = opts.depth ?? 2;
    this.gatherMs = opts.gatherMs ?? 0;
    this.gatherBytes = opts.gatherBytes ?? defaultGatherBytes;
    this.inlineSyncMaxMs = opts.inlineSyncMaxMs ?? defaultInlineSyncMaxMs;
  }

  /**
   * Resolves once a sync that began after this call returned; `bytes`: what the caller wrote.
   * `gather: false` (or 0) for a caller who must not wait for a gather (its round begins as
   * without one); a number of ms for a caller who may wait that long instead of `gatherMs` (the
   * MQTT bridge: a longer gather, fewer rounds); a round waits the shortest its waiters asked.
   */
  sync(bytes = 0, { gather = true }: { gather?: boolean | number } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.calls > 0 || this.waiting.length > 0) this.overlapping = true;
      this.waiting.push({ resolve, reject });
      this.waitingBytes += bytes;
      const ms = gather === true ? this.gatherMs : gather === false ? 0 : gather;
      if (ms < this.waitingGatherMs) this.waitingGatherMs = ms;
      this.next(false);
    });
  }

  /** Runs `f` once no fdatasync is in flight or waiting to begin (now, if none is). */
  whenIdle(f: () => void): void {
    if (this.calls === 0 && this.waiting.length === 0) return f();
    this.idle.push(f);
    this.draining = true; // a gathered round begins now
    this.next(true);
  }

  /**
   * Begins a round for the waiting waiters if one may begin: at once (`now`, or nothing in
   * flight), at the end of this turn (a sync in flight: the turn's other waiters join), or when
   * the gather ends; nothing while `depth` syncs are in flight (the first to return calls again).
   */
  private next(now: boolean): void {
    if (this.waiting.length === 0 || this.calls >= this.depth) return;
    const wait = this.gatherWait();
    if (wait > 0) {
      // a waiter asking for a shorter gather than the one armed brings the round forward
      const due = performance.now() + wait;
      if (this.timer !== undefined && due < this.timerDue) this.stopGather();
      if (this.timer !== undefined) return;
      this.timerDue = due;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.waiting.length === 1) this.overlapping = false; // nobody joined: not worth it
        // a quiet round: begun by the gather's end, nothing in flight (no bytes piled up)
        if (this.waiting.length > 0 && this.calls < this.depth) this.run(this.calls === 0);
      }, wait);
      return;
    }
    if (now || this.calls === 0) this.run(!now && this.calls === 0 && this.piledSlowly());
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        if (this.waiting.length > 0 && this.calls < this.depth) this.run();
      });
    }
  }

  /** the waiting waiters may gather: they overlap, none is in haste, no close waits */
  private mayGather(): boolean {
    return this.overlapping && !this.draining && this.waitingGatherMs > 0;
  }

  /** ms until the gather lets the next round begin (≤ 0: now) */
  private gatherWait(): number {
    if (!this.mayGather() || this.waitingBytes >= this.gatherBytes) return 0;
    return this.lastStart + this.waitingGatherMs - performance.now();
  }

  /**
   * The gather was cut short by `gatherBytes` piled up, though slowly — below `gatherBytes` per
   * `gatherMs`, the rate at which a log counts as busy: a quiet round still. The bridge's 20 ms
   * gather fills 4 KiB in ~18 ms at 1,000 readings/s: two rounds in three began this way, and
   * each took the pool's hop (~1 % of a core in all).
   */
  private piledSlowly(): boolean {
    if (!this.mayGather() || this.gatherMs <= 0 || this.waitingBytes < this.gatherBytes)
      return false;
    const ms = performance.now() - this.lastStart;
    return this.waitingBytes * this.gatherMs < this.gatherBytes * ms;
  }

  /** a quiet round may sync inline: syncs are known to be fast */
  private mayInline(quiet: boolean): boolean {
    return quiet && this.inlineSyncMaxMs > 0 && this.syncMsEstimate <= this.inlineSyncMaxMs;
  }

  private measured(ms: number): void {
    const e = this.syncMsEstimate;
    this.syncMsEstimate = Number.isNaN(e) ? ms : e + (ms - e) * syncEstimateWeight;
  }

  private run(quiet = false): void {
    const round: Round<Mark> = { waiters: this.waiting, mark: undefined as Mark };
    this.waiting = [];
    this.waitingBytes = 0;
    this.waitingGatherMs = Infinity;
    this.stopGather();
    this.lastStart = performance.now();
    this.calls++;
    this.syncs++;
    this.rounds.push(round);
    const inline = this.mayInline(quiet);
    let started = NaN;
    const done = (err: unknown) => {
      if (!Number.isNaN(started)) this.measured(performance.now() - started);
      this.calls--;
      round.outcome = { err };
      this.settle();
      this.next(true);
      if (this.calls === 0 && this.waiting.length === 0) {
        this.draining = false;
        for (const f of this.idle.splice(0)) f();
      }
    };
    let syncedInline = false;
    try {
      round.mark = this.hooks.begin?.() as Mark;
      const fd = this.fd();
      if (inline) this.inlineSyncs++;
      started = performance.now();
      if (this.hooks.fdatasync) this.hooks.fdatasync(fd, done, inline);
      else if (!inline) fdatasync(fd, done);
      else {
        fdatasyncSync(fd);
        syncedInline = true;
      }
    } catch (e) {
      // `begin` refused (the round's write), a bad descriptor or an inline sync failed: as a
      // failed pool sync
      queueMicrotask(() => done(e));
    }
    if (syncedInline) done(null);
  }

  private stopGather(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
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
      // the later rounds are given up (their syncs still count in `calls` until they return),
      // and the waiters queued or gathered for the next round
      const all = round.waiters.concat(
        ...this.rounds.splice(0).map((r) => r.waiters),
        this.waiting.splice(0),
      );
      this.waitingBytes = 0;
      this.waitingGatherMs = Infinity;
      this.stopGather();
      this.hooks.failed?.(err);
      for (const w of all) w.reject(err);
    }
  }
}
