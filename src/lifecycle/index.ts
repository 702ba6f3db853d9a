/**
 * The data lifecycle of `iot serve`: in the background, every interval, roll up new readings,
 * prune each kind past its retention, give the freed pages back to the file system, and measure
 * the disk use per kind. All in small write transactions with a pause between them, so the
 * sinks' inserts are never held up by more than one batch. Time comes from `clock`.
 */
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { Db } from "../store/index.ts";
import { imagesOverCap, oldImages } from "../store/image-prune.ts";
import {
  groupsOf,
  prunable,
  pruneAlertsBatch,
  pruneGroupBatch,
  pruneOldestBatch,
  pruneRollupsBatch,
} from "../store/prune.ts";
import { lastRawId, rollUpBatch, rollupKinds } from "../store/rollups.ts";
import { diskUsage, type DiskUsage } from "../store/usage.ts";
import { checkpoint, incrementalVacuumStep } from "../store/vacuum.ts";
import { removeImages } from "./images.ts";

/** How long each kind is kept, in ms; 0 keeps it forever. */
export interface Retention {
  /** raw readings and room readings */
  readings: number;
  /** hourly roll-ups of both */
  rollups: number;
  images: number;
  /** total size of the image files at most, in bytes (0: no cap); oldest go first */
  imagesMaxBytes: number;
  /** cleared alerts, from when they were cleared; open or acknowledged alerts stay */
  alerts: number;
  /** entrance events */
  presence: number;
  bins: number;
}

export const DAY_MS = 86_400_000;

export interface LifecycleOptions {
  db: Db;
  dataDir: string;
  retention: Retention;
  clock: () => number;
  log: Logger;
  metrics?: MetricsRegistry;
  /** rows per transaction (default 1000) */
  batchRows?: number;
  /** pause between two transactions, letting the sinks in (default 5 ms) */
  pauseMs?: number;
  /** free pages returned per incremental vacuum step (default 256 = 1 MiB) */
  vacuumPages?: number;
  /**
   * measures the disk use per kind after each pass (default: here, in this thread; `iot serve`
   * passes measureInChild, as it reads every page)
   */
  measure?: () => Promise<DiskUsage>;
  /** between passes (default 10 min), and before the first (default 10 s) */
  intervalMs?: number;
  firstPassMs?: number;
}

export interface PassReport {
  rolledUp: number;
  pruned: Record<
    "readings" | "rooms" | "rollups" | "images" | "alerts" | "presence" | "bins",
    number
  >;
  imageFileBytes: number;
  vacuumedBytes: number;
  ms: number;
}

export class Lifecycle {
  private readonly batch: number;
  private readonly pauseMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<PassReport | undefined> | null = null;
  private stopped = false;
  private latest: DiskUsage | undefined;
  private readonly prunedTotal;

  constructor(private readonly o: LifecycleOptions) {
    this.batch = o.batchRows ?? 1000;
    this.pauseMs = o.pauseMs ?? 5;
    this.prunedTotal = o.metrics?.counter(
      "iot_lifecycle_pruned_rows_total",
      "rows removed by retention, by kind",
    );
    if (o.metrics) registerUsageMetrics(o.metrics, () => this.latest);
  }

  /** The disk use measured by the last pass (undefined before the first). */
  usage(): DiskUsage | undefined {
    return this.latest;
  }

  start(): this {
    const next = (ms: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(async () => {
        await this.runOnce().catch((err) => this.o.log.error("lifecycle pass failed", { err }));
        next(this.o.intervalMs ?? 600_000);
      }, ms);
    };
    next(this.o.firstPassMs ?? 10_000);
    return this;
  }

  /** Stops after the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass now (or the one in progress); undefined when stopped before it ended. */
  runOnce(): Promise<PassReport | undefined> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<PassReport | undefined> {
    const started = performance.now();
    const { db, retention: r } = this.o;
    const report: PassReport = {
      rolledUp: 0,
      pruned: { readings: 0, rooms: 0, rollups: 0, images: 0, alerts: 0, presence: 0, bins: 0 },
      imageFileBytes: 0,
      vacuumedBytes: 0,
      ms: 0,
    };
    // roll up first: the prune takes only rows rolled up already
    for (const kind of rollupKinds) {
      // up to the rows there now: a busy writer is not chased for ever
      const upTo = lastRawId(db.$client, kind);
      const n = await this.repeat(() => rollUpBatch(db, kind, this.batch, upTo));
      if (n === undefined) return undefined;
      report.rolledUp += n;
    }
    const now = this.o.clock();
    const steps: Array<[keyof PassReport["pruned"], number, () => Promise<number | undefined>]> = [
      ["readings", r.readings, () => this.pruneGroups("readings", now - r.readings)],
      ["rooms", r.readings, () => this.pruneGroups("rooms", now - r.readings)],
      [
        "rollups",
        r.rollups,
        () => this.repeat(() => pruneRollupsBatch(db, now - r.rollups, this.batch)),
      ],
      [
        "alerts",
        r.alerts,
        () => this.repeat(() => pruneAlertsBatch(db, now - r.alerts, this.batch)),
      ],
      ["presence", r.presence, () => this.pruneGroups("presence", now - r.presence)],
      ["bins", r.bins, () => this.pruneGroups("bins", now - r.bins)],
    ];
    for (const [kind, keep, run] of steps) {
      if (keep <= 0) continue;
      const n = await run();
      if (n === undefined) return undefined;
      report.pruned[kind] += n;
    }
    const images = await this.pruneImages(now, report);
    if (images === undefined) return undefined;
    for (const [kind, n] of Object.entries(report.pruned))
      if (n) this.prunedTotal?.inc({ kind }, n);
    const vacuumed = await this.vacuum();
    if (vacuumed === undefined) return undefined;
    report.vacuumedBytes = vacuumed;
    try {
      this.latest = await (this.o.measure?.() ?? diskUsage(db.$client, this.o.clock()));
    } catch (err) {
      this.o.log.warn("could not measure the disk use", { err });
    }
    report.ms = Math.round(performance.now() - started);
    const pruned = Object.values(report.pruned).reduce((a, b) => a + b, 0);
    if (pruned > 0 || report.vacuumedBytes > 0)
      this.o.log.info("lifecycle pass", {
        ...report.pruned,
        rolledUp: report.rolledUp,
        vacuumedBytes: report.vacuumedBytes,
        ms: report.ms,
      });
    return report;
  }

  /**
   * Runs `step` until it does nothing, pausing after every transaction — also the last, empty
   * one: fifty devices' empty steps back to back would hold the event loop as long as a batch.
   * The total, or undefined if stopped.
   */
  private async repeat(step: () => number): Promise<number | undefined> {
    let total = 0;
    for (;;) {
      if (this.stopped) return undefined;
      const n = step();
      total += n;
      await Bun.sleep(this.pauseMs);
      if (n === 0) return total;
    }
  }

  private async pruneGroups(
    kind: "readings" | "rooms" | "presence" | "bins",
    cutoff: number,
  ): Promise<number | undefined> {
    const { table, group } = prunable[kind];
    // the bulk in id order first, then what is left through the index
    let total = await this.repeat(() => pruneOldestBatch(this.o.db, kind, cutoff, this.batch));
    if (total === undefined) return undefined;
    for (const g of groupsOf(this.o.db.$client, table, group)) {
      const n = await this.repeat(() => pruneGroupBatch(this.o.db, kind, g, cutoff, this.batch));
      if (n === undefined) return undefined;
      total += n;
    }
    return total;
  }

  private async pruneImages(now: number, report: PassReport): Promise<number | undefined> {
    const { db, dataDir, retention: r } = this.o;
    const drop = (victims: ReturnType<typeof oldImages>) => {
      report.imageFileBytes += removeImages(db, dataDir, victims);
      report.pruned.images += victims.length;
      return victims.length;
    };
    if (r.images > 0) {
      for (const device of groupsOf(db.$client, "images", "device_id")) {
        const n = await this.repeat(() =>
          drop(oldImages(db, String(device), now - r.images, this.batch)),
        );
        if (n === undefined) return undefined;
      }
    }
    if (r.imagesMaxBytes > 0) {
      const n = await this.repeat(() => drop(imagesOverCap(db, r.imagesMaxBytes, this.batch)));
      if (n === undefined) return undefined;
    }
    return report.pruned.images;
  }

  /** Gives the free pages back, a step at a time; the bytes the file shrank by (page count). */
  private async vacuum(): Promise<number | undefined> {
    const sqlite = this.o.db.$client;
    const pages = this.o.vacuumPages ?? 256;
    const pageSize = (sqlite.query("PRAGMA page_size").get() as { page_size: number }).page_size;
    const before = (sqlite.query("PRAGMA page_count").get() as { page_count: number }).page_count;
    let free = incrementalVacuumStep(sqlite, pages);
    while (free > 0) {
      if (this.stopped) return undefined;
      await Bun.sleep(this.pauseMs);
      const left = incrementalVacuumStep(sqlite, pages);
      if (left >= free) break; // nothing more to give back (auto-vacuum is off)
      free = left;
    }
    checkpoint(sqlite);
    const after = (sqlite.query("PRAGMA page_count").get() as { page_count: number }).page_count;
    return Math.max(0, before - after) * pageSize;
  }
}

function registerUsageMetrics(metrics: MetricsRegistry, usage: () => DiskUsage | undefined) {
  const kinds = () => Object.entries(usage()?.kinds ?? {});
  metrics.collect("iot_store_rows", "rows stored, by kind (measured each lifecycle pass)", () =>
    kinds().map(([kind, u]) => ({ labels: { kind }, value: u.rows })),
  );
  metrics.collect(
    "iot_store_bytes",
    "bytes stored, by kind and where: db (table and index pages) or files (image files)",
    () =>
      kinds().flatMap(([kind, u]) => [
        { labels: { kind, where: "db" }, value: u.dbBytes },
        ...(kind === "images" ? [{ labels: { kind, where: "files" }, value: u.fileBytes }] : []),
      ]),
  );
  metrics.collect(
    "iot_store_database_bytes",
    "size of the database's pages, and of its free ones",
    () => {
      const u = usage();
      return u
        ? [
            { labels: { pages: "all" }, value: u.dbBytes },
            { labels: { pages: "free" }, value: u.freeBytes },
          ]
        : [];
    },
  );
}
