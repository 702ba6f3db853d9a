/**
 * Paces sends at an aggregate rate: at any moment the number due is rate × elapsed, minus what
 * was already sent. A tick that comes late sends the backlog, so the average holds; a backlog
 * larger than `maxBurst` (the client cannot keep up) is dropped from the schedule and counted
 * as `behind`, instead of growing without bound.
 */
export class Pacer {
  private scheduled = 0;
  behind = 0;

  constructor(
    private readonly ratePerSec: number,
    private readonly startMs: number,
    private readonly maxBurst = Math.max(1, Math.ceil(ratePerSec / 10)),
  ) {}

  /** How many to send now. */
  due(nowMs: number): number {
    const target = Math.floor((this.ratePerSec * Math.max(0, nowMs - this.startMs)) / 1000);
    let n = target - this.scheduled;
    if (n > this.maxBurst) {
      this.behind += n - this.maxBurst;
      n = this.maxBurst;
    }
    this.scheduled = target;
    return Math.max(0, n);
  }
}
