/**
 * Ack latencies in log-spaced buckets (~2 % wide): percentiles of millions of samples in a
 * fixed few kilobytes. A percentile is reported as its bucket's upper edge.
 */
const growth = 1.02;
const minMs = 0.01;
const buckets = Math.ceil(Math.log(600_000 / minMs) / Math.log(growth)) + 1;

export class LatencyHistogram {
  private counts = new Uint32Array(buckets);
  count = 0;
  maxMs = 0;

  record(ms: number): void {
    const i =
      ms <= minMs ? 0 : Math.min(buckets - 1, Math.ceil(Math.log(ms / minMs) / Math.log(growth)));
    this.counts[i]!++;
    this.count++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The latency under which fraction `q` (0..1) of the samples fall; 0 when empty. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < buckets; i++) {
      seen += this.counts[i]!;
      if (seen >= rank)
        return i === buckets - 1 ? this.maxMs : Math.min(this.maxMs, minMs * growth ** i);
    }
    return this.maxMs;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }
}
