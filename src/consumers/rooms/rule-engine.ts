/**
 * Room rules: each rule aggregates (min, mean or max) a metric over a sliding window of the
 * room's readings (default 5 minutes) and compares it with `up` / `down`. It alerts when a bound
 * is crossed and clears only once the value is back inside by a margin (hysteresis), so a value
 * hovering at the threshold does not make an alert storm.
 */
import type { AggType, Bound } from "../parse/room.ts";

export type Metric = "temperature" | "humidity";
export interface Sample {
  ts: number;
  temperature: number | null;
  humidity: number | null;
}
export interface Rule {
  roomNo: number;
  scheduleId: number;
  condition: Partial<Record<Metric, Bound>>;
  state: "ok" | "alert";
}
export interface RuleOptions {
  windowMs: number;
  hysteresis: number;
}
export const defaultRuleOptions: RuleOptions = { windowMs: 5 * 60_000, hysteresis: 0.5 };

/**
 * A room's readings within `windowMs` of the newest, oldest first, with what the rules ask of
 * them kept up to date as readings come and go: adding a reading and aggregating cost O(1)
 * amortised, not O(window) — at 1,000 readings/s a 5-minute window holds 300,000 of them.
 */
export class RoomWindow {
  /** oldest first; entries before `head` have left the window (cut off in chunks) */
  private samples: Sample[] = [];
  private head = 0;
  private stats = { temperature: new MetricStats(), humidity: new MetricStats() };

  constructor(private readonly windowMs: number) {}

  add(...samples: Sample[]): void {
    this.addAll(samples);
  }

  /** many at once (a window rebuilt from the store: too many for a call's arguments) */
  addAll(samples: readonly Sample[]): void {
    let rebuild = false;
    for (const s of samples) {
      const last = this.samples[this.samples.length - 1];
      if (this.samples.length > this.head && last!.ts > s.ts) {
        // late: into its place (rare — a room's readings arrive in order), then recount
        let i = this.samples.length;
        while (i > this.head && this.samples[i - 1]!.ts > s.ts) i--;
        this.samples.splice(i, 0, s);
        rebuild = true;
      } else {
        const seq = this.samples.length;
        this.samples.push(s);
        if (!rebuild) for (const m of metrics) this.stats[m].push(seq, s[m]);
      }
    }
    if (rebuild) this.recount();
    this.evict();
  }

  aggregate(metric: Metric, agg: AggType): number | null {
    return this.stats[metric].aggregate(agg);
  }

  private evict(): void {
    if (this.samples.length === this.head) return;
    const oldest = this.samples[this.samples.length - 1]!.ts - this.windowMs;
    while (this.head < this.samples.length && this.samples[this.head]!.ts < oldest) {
      const s = this.samples[this.head]!;
      for (const m of metrics) this.stats[m].drop(this.head, s[m]);
      this.head++;
    }
    // the cut-off part goes once it outweighs what is left (and the sums start afresh then)
    if (this.head > 1024 && this.head * 2 > this.samples.length) {
      this.samples = this.samples.slice(this.head);
      this.head = 0;
      this.recount();
    }
  }

  private recount(): void {
    this.stats = { temperature: new MetricStats(), humidity: new MetricStats() };
    for (let i = this.head; i < this.samples.length; i++)
      for (const m of metrics) this.stats[m].push(i, this.samples[i]![m]);
  }
}

const metrics = ["temperature", "humidity"] as const satisfies readonly Metric[];

/**
 * One metric's sum and count (for the mean) and monotonic queues of positions (for min and
 * max): each value enters and leaves each queue once.
 */
class MetricStats {
  private sum = 0;
  private count = 0;
  private mins = new PositionQueue();
  private maxes = new PositionQueue();

  push(seq: number, v: number | null): void {
    if (v === null) return;
    this.sum += v;
    this.count++;
    this.mins.push(seq, v, (kept, added) => kept < added);
    this.maxes.push(seq, v, (kept, added) => kept > added);
  }

  /** the sample at `seq` leaves the window (samples leave oldest first) */
  drop(seq: number, v: number | null): void {
    if (v === null) return;
    this.sum -= v;
    this.count--;
    this.mins.dropUpTo(seq);
    this.maxes.dropUpTo(seq);
  }

  aggregate(agg: AggType): number | null {
    if (this.count === 0) return null;
    if (agg === "min") return this.mins.front();
    if (agg === "max") return this.maxes.front();
    return this.sum / this.count;
  }
}

/** positions with their values, oldest first; a newcomer removes the tail entries it beats */
class PositionQueue {
  private seqs: number[] = [];
  private values: number[] = [];
  private head = 0;

  push(seq: number, v: number, keeps: (kept: number, added: number) => boolean): void {
    while (this.seqs.length > this.head && !keeps(this.values[this.values.length - 1]!, v)) {
      this.seqs.pop();
      this.values.pop();
    }
    this.seqs.push(seq);
    this.values.push(v);
  }

  dropUpTo(seq: number): void {
    while (this.head < this.seqs.length && this.seqs[this.head]! <= seq) this.head++;
    if (this.head > 1024 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  front(): number | null {
    return this.head < this.values.length ? this.values[this.head]! : null;
  }
}

export interface Transition {
  rule: Rule;
  to: "ok" | "alert";
  message: string;
}

/** Evaluates one rule against a window; returns the transition, if any (and updates `rule.state`). */
export function evaluateRule(rule: Rule, window: RoomWindow, opts: RuleOptions): Transition | null {
  const breaches: string[] = [];
  let insideWithMargin = true;
  let measured = false;
  for (const [metric, b] of Object.entries(rule.condition) as Array<[Metric, Bound]>) {
    const v = window.aggregate(metric, b.agg_type);
    if (v === null) continue;
    measured = true;
    const shown = `${metric} ${b.agg_type} ${round(v)}`;
    if (b.up !== null && v > b.up) breaches.push(`${shown} > ${b.up}`);
    if (b.down !== null && v < b.down) breaches.push(`${shown} < ${b.down}`);
    if (
      (b.up !== null && v > b.up - opts.hysteresis) ||
      (b.down !== null && v < b.down + opts.hysteresis)
    ) {
      insideWithMargin = false;
    }
  }
  if (!measured) return null;
  const minutes = Math.round(opts.windowMs / 60_000);
  const where = `room ${rule.roomNo} rule ${rule.scheduleId}`;
  if (rule.state === "ok" && breaches.length > 0) {
    rule.state = "alert";
    return { rule, to: "alert", message: `${where}: ${breaches.join(", ")} over ${minutes} min` };
  }
  if (rule.state === "alert" && insideWithMargin) {
    rule.state = "ok";
    return { rule, to: "ok", message: `${where}: back within bounds` };
  }
  return null;
}

const round = (v: number) => Math.round(v * 100) / 100;
