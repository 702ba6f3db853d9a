/**
 * Gives memory back once a long-running process goes quiet after work. JavaScriptCore keeps the
 * bytecode of every function that has ever run — for `iot serve`, start-up's run-once code is
 * ~2,400 functions and ~4 MB of heap — and the JIT's code and a heap grown under load, until it is
 * told to let go. Once the process has been busy and then stays quiet, `Bun.shrink()` drops that
 * code (a function that runs again is re-linked from the bytecode in the binary) and collects the
 * heap. Measured on the x64 binary: idle RSS anonymous 23.4 → 19.3 MB after start-up, 36.3 →
 * 23.0 MB a few seconds after 15 s at 1,000 readings/s. Anonymous memory is what a Pi without
 * swap cannot get back any other way.
 *
 * Never while busy (hot code would be compiled again), at most once per quiet spell, and with a
 * minimum gap between two, so a bursty load cannot make it a habit.
 */

export interface IdleShrinkOptions {
  /** how often the process's CPU time is looked at */
  everyMs: number;
  /** an interval below this CPU % of one core is quiet */
  quietPercent: number;
  /** an interval at or above this CPU % of one core is work worth giving back after */
  busyPercent: number;
  /** quiet intervals in a row before a shrink */
  quietIntervals: number;
  /** the least time between two shrinks */
  minGapMs: number;
}

export const defaultIdleShrink: IdleShrinkOptions = {
  everyMs: 2000,
  quietPercent: 3,
  busyPercent: 10,
  quietIntervals: 2,
  minGapMs: 60_000,
};

export interface IdleShrinkHooks {
  /** CPU time used by the whole process so far (all threads), µs */
  cpuMicros(): number;
  /** a monotonic clock, ms */
  now(): number;
  /** drop unused code and collect the heap */
  shrink(): void;
  /**
   * hand clean file-backed pages back (src/core/memory/page-out.ts): called once the shrink's
   * own collection has settled and the process is still quiet, so what it touched is not
   * faulted straight back in
   */
  pageOut?(): void;
}

/** Bun.shrink() where this Bun has it (it is marked deprecated; without it, nothing is done). */
export function runtimeShrink(): void {
  (Bun as { shrink?: () => void }).shrink?.();
}

export const processHooks: IdleShrinkHooks = {
  cpuMicros: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  now: () => performance.now(),
  shrink: runtimeShrink,
};

/**
 * The decision alone: call `tick()` every `everyMs`; it says whether it shrank. Start-up counts as
 * work, so the first quiet spell after it shrinks. With a `pageOut` hook, the first quiet tick after
 * a shrink has settled pages out too (at most once per shrink, never while busy).
 */
export class IdleShrinker {
  shrinks = 0;
  pageOuts = 0;
  private owed = true;
  private quiet = 0;
  /** intervals to skip after a shrink: its own collection runs in them */
  private settling = 0;
  private lastShrink = -Infinity;
  /** a shrink happened and its page-out is still to come */
  private pageOutOwed = false;
  private cpu: number;
  private at: number;

  constructor(
    private readonly opts: IdleShrinkOptions = defaultIdleShrink,
    private readonly hooks: IdleShrinkHooks = processHooks,
  ) {
    this.cpu = hooks.cpuMicros();
    this.at = hooks.now();
  }

  tick(): boolean {
    const cpu = this.hooks.cpuMicros();
    const at = this.hooks.now();
    const percent = at > this.at ? ((cpu - this.cpu) / 1000 / (at - this.at)) * 100 : 0;
    this.cpu = cpu;
    this.at = at;
    if (this.settling > 0) {
      this.settling--;
      return false;
    }
    if (percent >= this.opts.busyPercent) {
      this.owed = true;
      this.quiet = 0;
      return false;
    }
    if (percent >= this.opts.quietPercent) {
      this.quiet = 0;
      return false;
    }
    this.quiet++;
    const shrinkDue = this.owed && at - this.lastShrink >= this.opts.minGapMs;
    // a page-out still owed when busy came between (start-up's first housekeeping pass, say) is
    // made now, unless a shrink is due: then it waits for that shrink to settle
    if (this.pageOutOwed && !shrinkDue) {
      this.pageOutOwed = false;
      this.pageOuts++;
      this.hooks.pageOut?.();
    }
    if (!shrinkDue || this.quiet < this.opts.quietIntervals) return false;
    this.hooks.shrink();
    this.shrinks++;
    this.owed = false;
    this.quiet = 0;
    this.settling = 2;
    this.lastShrink = at;
    this.pageOutOwed = this.hooks.pageOut !== undefined;
    return true;
  }
}

/** Looks every `everyMs` (an unref'd timer: it never keeps the process alive); returns a stop. */
export function startIdleShrink(
  opts: IdleShrinkOptions = defaultIdleShrink,
  onShrink: () => void = () => {},
  hooks: IdleShrinkHooks = processHooks,
): { shrinker: IdleShrinker; stop: () => void } {
  const shrinker = new IdleShrinker(opts, hooks);
  const timer = setInterval(() => {
    if (shrinker.tick()) onShrink();
  }, opts.everyMs);
  timer.unref();
  return { shrinker, stop: () => clearInterval(timer) };
}
