/**
 * A small Prometheus registry: counters and gauges with labels, rendered in the text
 * exposition format (version 0.0.4). Enough for `/metrics`; no client library needed.
 */
export type Labels = Record<string, string>;
type Kind = "counter" | "gauge";

interface Family {
  name: string;
  help: string;
  kind: Kind;
  series: Map<string, { labels: Labels; value: number }>;
  collect?: () => Array<{ labels?: Labels; value: number }>;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
  /**
   * One series, its labels resolved once (at its first inc): for a per-message hot path, where
   * rendering the labels on every `inc` cost more than the rest of the counting.
   */
  series(labels?: Labels): { inc(by?: number): void };
}

export interface Gauge extends Counter {
  set(value: number, labels?: Labels): void;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export class MetricsRegistry {
  private families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    return this.family(name, help, "counter");
  }

  gauge(name: string, help: string): Gauge {
    return this.family(name, help, "gauge");
  }

  /** A gauge computed at scrape time (queue depths, connection counts). */
  collect(name: string, help: string, fn: () => Array<{ labels?: Labels; value: number }>): void {
    this.family(name, help, "gauge");
    this.families.get(name)!.collect = fn;
  }

  render(): string {
    let out = "";
    for (const f of this.families.values()) {
      out += `# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n`;
      out += `# TYPE ${f.name} ${f.kind}\n`;
      const rows = f.collect ? f.collect() : [...f.series.values()];
      for (const row of rows) out += `${f.name}${renderLabels(row.labels ?? {})} ${row.value}\n`;
    }
    return out;
  }

  private family(name: string, help: string, kind: Kind): Gauge {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    let f = this.families.get(name);
    if (!f) {
      f = { name, help, kind, series: new Map() };
      this.families.set(name, f);
    } else if (f.kind !== kind) throw new Error(`metric ${name} already registered as ${f.kind}`);
    const series = f.series;
    const slot = (labels: Labels = {}) => {
      const id = renderLabels(labels);
      let s = series.get(id);
      if (!s) series.set(id, (s = { labels, value: 0 }));
      return s;
    };
    return {
      inc: (labels, by = 1) => void (slot(labels).value += by),
      set: (value, labels) => void (slot(labels).value = value),
      get: (labels) => series.get(renderLabels(labels ?? {}))?.value ?? 0,
      series: (labels) => {
        let s: { value: number } | undefined; // created at the first inc, like `inc` does
        return { inc: (by = 1) => void ((s ??= slot(labels)).value += by) };
      },
    };
  }
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  const parts = keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`);
  return `{${parts.join(",")}}`;
}

const needsEscape = /[\\"\n]/;

function escapeLabel(v: string): string {
  if (!needsEscape.test(v)) return v; // the usual label value: one test instead of three copies
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
