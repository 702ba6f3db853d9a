/** Pure arithmetic for the benchmarks: percentiles, rates, ratios, and how to print them. */

/** The p-th percentile (nearest rank) of values in any order; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = isSorted(values) ? values : [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** count, min, p50, p90, p99, max and mean of a sample. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

/** The median, e.g. of repeated start-up times. */
export const median = (values: readonly number[]) => percentile(values, 50);

/** Events per second; NaN for an empty or non-positive interval. */
export function rate(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : NaN;
}

/** a / b, NaN when either is missing or b is zero (never Infinity in a table). */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

/** A number as a table shows it: grouped integers above 100, 3 significant digits below. */
export function fmt(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return "—";
  const abs = Math.abs(v);
  if (abs >= 100) return Math.round(v).toLocaleString("en-US");
  if (abs === 0) return "0";
  return Number(v.toPrecision(3)).toString();
}

/** A ratio as "0.42×". */
export const fmtRatio = (r: number) => (Number.isFinite(r) ? `${fmt(r)}×` : "—");

/** Bytes as MB (10^6), for binary sizes and RSS. */
export const mb = (bytes: number) => bytes / 1e6;
