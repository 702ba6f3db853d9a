/**
 * What the simulator did: counters per kind, printed every few seconds and once at the end, as
 * one line a person can read and a test can parse (`name=count`).
 */
export class Counters {
  private counts = new Map<string, number>();
  private readonly started = Date.now();

  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  line(): string {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    const parts = [...this.counts.entries()].map(([k, v]) => `${k}=${v}`);
    return `${secs}s ${parts.join(" ")}`;
  }
}
