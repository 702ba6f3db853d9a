/**
 * How much one lifecycle step may take on: sized by time, not by a fixed count. The cost of a
 * row differs a hundredfold between a roll-up, a prune through the ids and one through an index,
 * and with the machine's load; a fixed batch is either slow to finish or long enough to hold up
 * the sinks, which share the connection and the event loop. After each step the next size is
 * scaled towards `targetMs` (shrinking at once, growing at most twice per step), within
 * [min, max]. A step much slower than the target was mostly slowed by something else (the disk,
 * the CPU, shared with others), which often lasts: the step after it does not grow, whatever
 * it took, so that a doubled step does not run into the same slowness (bench/prune.ts --trace).
 */
export class StepSize {
  private size: number;
  /** the last step was much too slow: the next one's speed is no reason to grow */
  private holding = false;

  constructor(
    private readonly targetMs: number,
    private readonly min: number,
    private readonly max: number,
    start = min,
  ) {
    this.size = clamp(Math.round(start), min, max);
  }

  /** The size of the next step. */
  next(): number {
    return this.size;
  }

  /** A step of `size` took `ms`; `full` when it had as much work as it was given. */
  took(ms: number, full: boolean): void {
    if (ms > this.targetMs) {
      this.size = clamp(Math.floor((this.size * this.targetMs) / ms), this.min, this.max);
      if (ms > 2 * this.targetMs) this.holding = true;
      return;
    }
    // a step that ran out of work says nothing about a bigger one: keep the size
    if (!full) return;
    if (this.holding) {
      this.holding = false;
      return;
    }
    const scale = ms > 0 ? Math.min(2, this.targetMs / ms) : 2;
    this.size = clamp(Math.ceil(this.size * scale), this.min, this.max);
  }
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
