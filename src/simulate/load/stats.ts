/**
 * Load-mode figures: sent, acknowledged, errors, skipped (client could not keep up), ack
 * latency percentiles, for the last window and for the whole run.
 */
import { LatencyHistogram } from "./latency.ts";

export class LoadStats {
  sent = 0;
  acked = 0;
  errors = 0;
  behind = 0;
  private readonly total = new LatencyHistogram();
  private readonly window = new LatencyHistogram();
  private windowStart: number;
  private windowAcked = 0;

  constructor(private readonly started: number) {
    this.windowStart = started;
  }

  private lastAckAt = 0;

  ack(latencyMs: number): void {
    this.acked++;
    this.lastAckAt = Date.now();
    this.total.record(latencyMs);
    this.window.record(latencyMs);
  }

  /** One progress line for the window since the last call, then a new window. */
  windowLine(now: number): string {
    const secs = (now - this.windowStart) / 1000;
    const rate = secs > 0 ? (this.acked - this.windowAcked) / secs : 0;
    const line = this.format(now, rate, this.window);
    this.window.reset();
    this.windowStart = now;
    this.windowAcked = this.acked;
    return line;
  }

  /** The whole run; acks that came in after `now` (the end of sending) count to their time. */
  finalLine(now: number): string {
    const end = Math.max(now, this.lastAckAt);
    const secs = (end - this.started) / 1000;
    return "total " + this.format(end, secs > 0 ? this.acked / secs : 0, this.total);
  }

  private format(now: number, rate: number, h: LatencyHistogram): string {
    const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
    return (
      `${((now - this.started) / 1000).toFixed(1)}s sent=${this.sent} acked=${this.acked} ` +
      `errors=${this.errors} behind=${this.behind} inflight=${this.sent - this.acked - this.errors} ` +
      `rate=${Math.round(rate)}/s p50=${ms(h.percentile(0.5))}ms p99=${ms(h.percentile(0.99))}ms`
    );
  }
}
