/**
 * One process-wide budget for the memory of large request frames, from the moment their size
 * prefix arrives until their handler has answered. Without it, N connections each announcing a
 * 9 MiB frame and holding back its last byte make the broker hold N × 9 MiB. Small frames (the
 * bulk of requests: metadata, heartbeats, fetches) are not counted: the per-connection in-flight
 * bound and the connection cap already bound them. A large frame that does not fit waits (its
 * connection stops reading) until another is released.
 */
export class FrameBudget {
  private used = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    /** bytes of large frames held at once; at least one largest frame always fits */
    readonly limitBytes: number,
    /** frames up to this size are not counted */
    readonly smallFrameBytes = 64 * 1024,
    /** told each time a frame has to wait (to log it, rate-limited) */
    private readonly onFull: (size: number) => void = () => {},
  ) {}

  get usedBytes(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /** Reserves `size` bytes if they fit; true for small frames always. */
  tryAcquire(size: number): boolean {
    if (size <= this.smallFrameBytes) return true;
    // one frame alone always fits, so a budget smaller than the largest frame cannot wedge
    if (this.used > 0 && this.used + size > this.limitBytes) {
      this.onFull(size);
      return false;
    }
    this.used += size;
    return true;
  }

  release(size: number): void {
    if (size <= this.smallFrameBytes) return;
    this.used -= size;
    if (this.waiters.size === 0) return;
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const wake of woken) wake();
  }

  /** Calls `wake` once, at the next release (the caller retries and may wait again). */
  wait(wake: () => void): void {
    this.waiters.add(wake);
  }

  cancel(wake: () => void): void {
    this.waiters.delete(wake);
  }
}
