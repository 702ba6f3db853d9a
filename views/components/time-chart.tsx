/** @jsxImportSource hono/jsx */
/**
 * A time-series chart of min / mean / max per time bucket, drawn in the browser by uPlot
 * (views/scripts/charts.js) from a JSON endpoint (`GET /api/series`, src/http/routes/series.ts).
 * The element carries only what to draw, never the data: a live update of the page re-renders
 * this markup cheaply, and `hx-preserve` keeps the drawn chart (its `id` must be unique on the
 * page and differ between pages, e.g. "room-3-chart" vs "room-3-card-chart").
 *
 *   <TimeChart id="device-pi-1-chart" src="/api/series?device_id=pi-1" range={rangeOf(params.range)}
 *     label="pi-1 temperature and humidity" />
 */

export type ChartRange = "1h" | "6h" | "24h" | "7d" | "30d";
export const chartRanges: ReadonlyArray<ChartRange> = ["1h", "6h", "24h", "7d", "30d"];

/** `?range=` of a page, or the default when absent or unknown. */
export const rangeOf = (raw: string | undefined, fallback: ChartRange = "24h"): ChartRange =>
  chartRanges.includes(raw as ChartRange) ? (raw as ChartRange) : fallback;

export interface ChartSeries {
  /** the metric's name in the endpoint's answer */
  key: "temperature" | "humidity";
  label: string;
  unit: string;
}

/** A horizontal line at `value` on `metric`'s scale (a rule's bound), with its label. */
export interface ChartBound {
  metric: ChartSeries["key"];
  value: number;
  label: string;
}

export const climateSeries: ChartSeries[] = [
  { key: "temperature", label: "Temperature", unit: "°C" },
  { key: "humidity", label: "Humidity", unit: "%" },
];

const rangeLabel = (r: ChartRange) => r.replace(/^(\d+)/, "$1 ");

export function TimeChart({
  id,
  src,
  label,
  series = climateSeries,
  bounds = [],
  range = "24h",
  picker = true,
  compact = false,
  height = compact ? 120 : 280,
  buckets = compact ? 150 : 1000,
  stamp,
}: {
  id: string;
  /** the data endpoint without since/until, e.g. "/api/series?room_no=3" */
  src: string;
  /** what the chart shows, for screen readers */
  label: string;
  series?: ChartSeries[];
  bounds?: ChartBound[];
  range?: ChartRange;
  /** the 1 h … 30 d picker above the chart */
  picker?: boolean;
  /** a small chart (a card): no axis titles or bound labels */
  compact?: boolean;
  height?: number;
  /** at most this many points per series (a card's small chart needs fewer) */
  buckets?: number;
  /**
   * what changes when the data does (e.g. the newest reading's time): on a live update the
   * chart asks for new points only when it changed; without it, on every update
   */
  stamp?: string | number;
}) {
  const chart = (
    <figure
      class={compact ? "time-chart compact" : "time-chart"}
      id={id}
      hx-preserve="true"
      data-series={src}
      data-range={range}
      data-metrics={JSON.stringify(series)}
      data-bounds={JSON.stringify(bounds)}
      data-height={String(height)}
      data-buckets={String(buckets)}
      data-compact={compact ? "" : undefined}
    >
      {picker && (
        <nav class="range-picker" aria-label="Chart range">
          {chartRanges.map((r) => (
            <a
              href={`?range=${r}`}
              data-range-pick={r}
              aria-current={r === range ? "true" : undefined}
            >
              {rangeLabel(r)}
            </a>
          ))}
        </nav>
      )}
      <div class="chart-plot" role="img" aria-label={label} style={`min-height:${height}px`}></div>
      <figcaption class="chart-readout num">
        <noscript>The chart needs JavaScript; the values above are current.</noscript>
      </figcaption>
      <p class="chart-status muted"></p>
    </figure>
  );
  // outside the preserved figure, so each live render brings the current one
  return stamp === undefined ? (
    chart
  ) : (
    <>
      {chart}
      <span hidden class="chart-stamp" data-for={id} data-stamp={String(stamp)}></span>
    </>
  );
}
