/**
 * The data dir's disk as one condition: "nearly full" (free space under a watermark, checked
 * with statfs) or "refusing writes" (a component reported ENOSPC, EDQUOT, EIO, SQLITE_FULL…).
 * An episode starts when either holds and ends when neither does; it is logged once at each
 * end, shown in `/healthz` and `/metrics`, and listeners (the alert) are told of each change.
 */
import { closeSync, fsyncSync, openSync, rmSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { appendAll } from "../core/disk/append.ts";
import type { ComponentHealth } from "../health/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { DiskReporter } from "./reporter.ts";

export interface DiskWatchOptions {
  dir: string;
  /** below this many free bytes the disk counts as nearly full (0: no watermark) */
  minFreeBytes: number;
  /** how often free space is checked (default 2 s) */
  intervalMs?: number;
  /**
   * While components report refused writes and free space is above the watermark, each check
   * writes (and fsyncs, and deletes) a probe file of this size in the dir: when that succeeds,
   * every component counts as accepting again — also one whose data has since gone another way
   * and that would not write again to say so (default 64 KiB).
   */
  probeBytes?: number;
  log: Logger;
  metrics: MetricsRegistry;
  now?: () => number;
}

export interface DiskCondition {
  /** an episode is on: nearly full or refusing */
  active: boolean;
  lowSpace: boolean;
  /** components whose last write was refused, and the error they saw */
  refusing: Record<string, string>;
  freeBytes: number;
  totalBytes: number;
  since: number | null;
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

export class DiskWatch implements DiskReporter {
  private readonly refusingNow = new Map<string, string>();
  private space = { free: Number.NaN, total: Number.NaN };
  private since: number | null = null;
  private readonly listeners = new Set<(c: DiskCondition) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;
  private readonly errors;
  private readonly episodes;

  constructor(private readonly opts: DiskWatchOptions) {
    this.now = opts.now ?? Date.now;
    const m = opts.metrics;
    this.errors = m.counter("iot_disk_write_errors_total", "writes the disk refused, by component");
    this.episodes = m.counter("iot_disk_episodes_total", "disk full or refusing episodes");
    m.collect("iot_disk_free_bytes", "free bytes on the data dir's disk", () => [
      { value: this.space.free },
    ]);
    m.collect("iot_disk_refusing", "1 while the disk refuses writes or is nearly full", () => [
      { value: this.active ? 1 : 0 },
    ]);
  }

  /** Checks free space now and every `intervalMs`. */
  start(): this {
    this.check();
    this.timer = setInterval(() => this.check(), this.opts.intervalMs ?? 2000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onChange(listener: (c: DiskCondition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  refused(source: string, err: unknown): void {
    this.errors.inc({ source });
    if (this.refusingNow.has(source)) return;
    const error = String((err as { code?: unknown })?.code ?? (err as Error)?.message ?? err);
    this.refusingNow.set(source, error);
    this.readSpace(); // the alert and the log line should say how full it is now
    this.opts.log.error("the disk refuses writes", { source, error, dir: this.opts.dir });
    this.update();
  }

  accepted(source: string): void {
    if (!this.refusingNow.has(source)) return;
    // below the watermark a small write that fit in a partly used block proves little: the
    // episode ends when space is back (the next check's probe), not at every flap
    if (this.lowSpace) return;
    this.refusingNow.delete(source);
    this.opts.log.warn("the disk accepts writes again", { source });
    this.update();
  }

  /** statfs of the data dir; a failing statfs leaves the last figures. */
  check(): void {
    if (!this.readSpace()) return;
    if (this.refusingNow.size > 0 && !this.lowSpace && this.probe()) {
      this.opts.log.warn("the disk accepts writes again", {
        probe: "ok",
        sources: [...this.refusingNow.keys()],
      });
      this.refusingNow.clear();
    }
    this.update();
  }

  private readSpace(): boolean {
    try {
      const s = statfsSync(this.opts.dir);
      this.space = { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
      return true;
    } catch {
      return false;
    }
  }

  private probe(): boolean {
    const path = join(this.opts.dir, ".iot-disk-probe");
    try {
      const fd = openSync(path, "w");
      try {
        appendAll(fd, Buffer.alloc(this.opts.probeBytes ?? 64 << 10), 0, "disk probe");
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch {
      return false;
    } finally {
      rmSync(path, { force: true });
    }
  }

  get active(): boolean {
    return this.refusingNow.size > 0 || this.lowSpace;
  }

  condition(): DiskCondition {
    return {
      active: this.active,
      lowSpace: this.lowSpace,
      refusing: Object.fromEntries(this.refusingNow),
      freeBytes: this.space.free,
      totalBytes: this.space.total,
      since: this.since,
    };
  }

  /** One line for the alert and the logs. */
  describe(): string {
    const c = this.condition();
    const parts = [`${mib(c.freeBytes)} free of ${mib(c.totalBytes)} in ${this.opts.dir}`];
    if (c.lowSpace) parts.push(`below the ${mib(this.opts.minFreeBytes)} watermark`);
    const refusing = Object.entries(c.refusing).map(([s, e]) => `${s} (${e})`);
    if (refusing.length > 0) parts.push(`writes refused: ${refusing.join(", ")}`);
    return `disk ${refusing.length > 0 ? "full" : "nearly full"}: ${parts.join("; ")}`;
  }

  health(): ComponentHealth {
    const c = this.condition();
    const detail = {
      dir: this.opts.dir,
      freeBytes: c.freeBytes,
      totalBytes: c.totalBytes,
      minFreeBytes: this.opts.minFreeBytes,
      ...(c.active ? { problem: this.describe(), since: c.since, refusing: c.refusing } : {}),
    };
    // nearly full still works: only refused writes make the component down
    return { state: Object.keys(c.refusing).length > 0 ? "down" : "up", detail };
  }

  private get lowSpace(): boolean {
    return this.space.free < this.opts.minFreeBytes;
  }

  private update(): void {
    const active = this.active;
    if (active && this.since === null) {
      this.since = this.now();
      this.episodes.inc();
      this.opts.log.warn("disk episode begins", { problem: this.describe() });
    } else if (!active && this.since !== null) {
      this.opts.log.warn("disk episode over", {
        lastedMs: this.now() - this.since,
        free: mib(this.space.free),
      });
      this.since = null;
    }
    const c = this.condition();
    for (const l of this.listeners) l(c);
  }
}
