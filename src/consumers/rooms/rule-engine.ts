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

export class RoomWindow {
  private samples: Sample[] = [];

  constructor(private readonly windowMs: number) {}

  add(...samples: Sample[]): void {
    this.samples.push(...samples);
    if (this.samples.length === 0) return;
    this.samples.sort((a, b) => a.ts - b.ts);
    const newest = this.samples[this.samples.length - 1]!.ts;
    while (this.samples.length > 0 && this.samples[0]!.ts < newest - this.windowMs)
      this.samples.shift();
  }

  aggregate(metric: Metric, agg: AggType): number | null {
    const values = this.samples.map((s) => s[metric]).filter((v): v is number => v !== null);
    if (values.length === 0) return null;
    if (agg === "min") return Math.min(...values);
    if (agg === "max") return Math.max(...values);
    return values.reduce((a, b) => a + b, 0) / values.length;
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
