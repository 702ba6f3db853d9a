/**
 * How the sinks' consumers are doing, for `/healthz` and `/metrics`: a consumer that keeps
 * starting over without getting anywhere (a batch its sink throws on, again and again; kafkajs
 * restarting it after a crash) or that falls far behind makes the `consumers` component
 * degraded, saying which consumer and why. Progress — a batch handled, or nothing left to
 * handle — clears the crash loop; catching up clears the lag.
 */
import type { ComponentHealth } from "../health/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";

export interface WatchOptions {
  /** this many starts-over within `windowMs`, none followed by progress, is a crash loop */
  maxRestarts: number;
  windowMs: number;
  /** records behind, summed over a consumer's partitions (0: not checked) */
  maxLag: number;
  now?: () => number;
}

export const defaultWatch: WatchOptions = { maxRestarts: 3, windowMs: 5 * 60_000, maxLag: 100_000 };

export type RestartKind = "batch" | "crash";

interface State {
  restarts: number[];
  lastError: string;
  /** where the last restart came from (`topic/partition`), when a batch told us */
  lastWhere: string | null;
  /** when each partition last handled a batch; "*" = the whole consumer (caught up) */
  progress: Map<string, number>;
  lag: Map<string, number>;
  /** kafkajs gave up on it (a crash it does not restart from) */
  stopped: string | null;
}

export class ConsumerWatch {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;
  private readonly restartsTotal;

  constructor(
    metrics: MetricsRegistry,
    private readonly opts: WatchOptions = defaultWatch,
  ) {
    this.now = opts.now ?? Date.now;
    this.restartsTotal = metrics.counter(
      "iot_consumer_restarts_total",
      "times a sink's consumer started over: a batch that failed (batch) or a crash kafkajs restarted it from (crash)",
    );
    metrics.collect("iot_consumer_lag", "records a sink's consumer is behind", () =>
      [...this.states].map(([consumer, s]) => ({ labels: { consumer }, value: total(s.lag) })),
    );
  }

  private state(consumer: string): State {
    let s = this.states.get(consumer);
    if (!s) {
      s = {
        restarts: [],
        lastError: "",
        lastWhere: null,
        progress: new Map(),
        lag: new Map(),
        stopped: null,
      };
      this.states.set(consumer, s);
    }
    return s;
  }

  /** `where`: the batch's `topic/partition` (a crash names none) */
  restarted(consumer: string, kind: RestartKind, error: unknown, where?: string): void {
    const s = this.state(consumer);
    s.lastWhere = where ?? null;
    const t = this.now();
    s.restarts = s.restarts.filter((at) => at > t - this.opts.windowMs);
    s.restarts.push(t);
    s.lastError = (error as Error)?.message ?? String(error);
    this.restartsTotal.inc({ consumer, kind });
  }

  /** kafkajs will not restart it: the consumer is gone until `iot serve` restarts */
  stopped(consumer: string, error: unknown): void {
    this.state(consumer).stopped = (error as Error)?.message ?? String(error);
  }

  /** a batch of `where` (`topic/partition`) handled, or (no `where`) nothing left to handle */
  progressed(consumer: string, where = "*"): void {
    this.state(consumer).progress.set(where, this.now());
  }

  /** Progress that ends a crash loop: on the partition that failed (another partition moving
   * on while one stays stuck is no recovery), or the consumer caught up. */
  private progressSince(s: State): number {
    const all = s.progress.get("*") ?? 0;
    if (s.lastWhere !== null) return Math.max(all, s.progress.get(s.lastWhere) ?? 0);
    return Math.max(0, ...s.progress.values());
  }

  lag(consumer: string, topic: string, partition: number, records: number): void {
    this.state(consumer).lag.set(`${topic}/${partition}`, Math.max(0, records));
  }

  /** `up` unless some consumer crash-loops, stopped, or lags past the limit */
  health(): ComponentHealth {
    const t = this.now();
    const problems: string[] = [];
    const consumers: Record<string, { restarts: number; lag: number }> = {};
    let down = false;
    const window = `${Math.round(this.opts.windowMs / 1000)} s`;
    for (const [name, s] of this.states) {
      const recent = s.restarts.filter((at) => at > t - this.opts.windowMs);
      const lag = total(s.lag);
      consumers[name] = { restarts: recent.length, lag };
      const last = recent[recent.length - 1] ?? 0;
      if (s.stopped) {
        down = true;
        problems.push(`${name}: stopped (${s.stopped})`);
      } else if (recent.length >= this.opts.maxRestarts && this.progressSince(s) < last) {
        problems.push(
          `${name}: crash loop, ${recent.length} restarts in the last ${window} without progress (last error: ${s.lastError})`,
        );
      }
      if (this.opts.maxLag > 0 && lag > this.opts.maxLag)
        problems.push(`${name}: ${lag} records behind (limit ${this.opts.maxLag})`);
    }
    const state = down ? "down" : problems.length ? "degraded" : "up";
    return { state, detail: { consumers, ...(problems.length ? { problems } : {}) } };
  }
}

const total = (lag: Map<string, number>) => [...lag.values()].reduce((a, b) => a + b, 0);
