/**
 * The data lifecycle of `iot serve`: in the background, every interval, roll up new readings,
 * prune each kind past its retention, give the freed pages back to the file system, and measure
 * the disk use per kind. All in short write transactions with a pause between them, so the
 * sinks' inserts — same connection, same event loop — are never held up by more than one step:
 * each step is sized by the time the last one took (about `stepMs`), not by a count of rows,
 * whose cost varies a hundredfold. WAL checkpoints run in a worker (src/store/checkpointer.ts)
 * in `iot serve`; during a pass the lifecycle has it checkpoint only in the pauses between steps
 * (`checkpoints`). Time comes from `clock`. The store is either engine's
 * (`LifecycleStore`): on PostgreSQL a pass runs where no other process of the fleet runs one,
 * and there is no vacuum step (autovacuum).
 */
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { Db } from "../store/index.ts";
import type { LifecycleStore } from "../store/engine/lifecycle-types.ts";
import { sqliteLifecycleStore } from "../store/engine/sqlite-lifecycle.ts";
import type { ImageVictim } from "../store/image-prune.ts";
import { rollupKinds } from "../store/rollups.ts";
import type { DiskUsage } from "../store/usage.ts";
import { removeImages } from "./images.ts";
import { StepSize } from "./step-size.ts";

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

/** Every kind kept forever: spread it and set the kinds a caller prunes. */
export const keepForever: Retention = {
  readings: 0,
  rollups: 0,
  images: 0,
  imagesMaxBytes: 0,
  alerts: 0,
  presence: 0,
  bins: 0,
};

export const DAY_MS = 86_400_000;

export interface LifecycleOptions {
  /** the store: a SQLite file's handle, or either engine's lifecycle operations */
  db?: Db;
  store?: LifecycleStore;
  dataDir: string;
  retention: Retention;
  clock: () => number;
  log: Logger;
  metrics?: MetricsRegistry;
  /** how long one step (one transaction) should take (default 5 ms) */
  stepMs?: number;
  /** rows per transaction at most (default 50,000; the step's time decides below that) */
  batchRows?: number;
  /** pause between two transactions, letting the sinks in (default 5 ms) */
  pauseMs?: number;
  /** free pages returned per incremental vacuum step at most (default 4096 = 16 MiB) */
  vacuumPages?: number;
  /**
   * measures the disk use per kind after each pass (default: here, in this thread; `iot serve`
   * passes measureInChild, as it reads every page)
   */
  measure?: () => Promise<DiskUsage>;
  /**
   * the WAL checkpoints' worker (src/store/checkpointer.ts), when there is one: paused for the
   * pass, and asked for one checkpoint in the pause after each step instead
   */
  checkpoints?: PassCheckpoints;
  /** told as each stage of a pass begins (bench/prune.ts times ingest per stage) */
  onStage?: (stage: "roll-up" | "prune" | "vacuum" | "measure") => void;
  /**
   * told after each step: its kind of work, size, items done and ms (bench/prune.ts --trace);
   * and after each checkpoint asked for: the WAL's frames, those of them in the file, and ms
   */
  onStep?: (
    work: "rollup" | "ids" | "index" | "vacuum" | "checkpoint",
    size: number,
    n: number,
    ms: number,
  ) => void;
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

/** What a pass needs of the WAL checkpoints' worker (src/store/checkpointer.ts). */
export interface PassCheckpoints {
  /** its own checkpoints stop until `resume`; resolved once none runs */
  pause(): Promise<void>;
  resume(): void;
  /** one checkpoint now, off the event loop; resolved when it is done (undefined: failed) */
  checkpoint(): Promise<{ log: number; checkpointed: number } | undefined>;
}

/** One step's outcome: items done, and whether there is more to do. */
interface Step {
  n: number;
  more: boolean;
}

export class Lifecycle {
  private readonly pauseMs: number;
  /** one step size per kind of work: their costs per row differ, and each is learned apart */
  private readonly sizes: Record<"rollup" | "ids" | "index" | "vacuum", StepSize>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<PassReport | undefined> | null = null;
  private stopped = false;
  private latest: DiskUsage | undefined;
  private readonly prunedTotal;
  private readonly store: LifecycleStore;

  constructor(private readonly o: LifecycleOptions) {
    if (!o.store && !o.db) throw new Error("a lifecycle needs a store");
    this.store = o.store ?? sqliteLifecycleStore(o.db!);
    this.pauseMs = o.pauseMs ?? 5;
    const stepMs = o.stepMs ?? 5;
    const rows = () => {
      const max = Math.max(1, o.batchRows ?? 50_000);
      return new StepSize(stepMs, Math.min(64, max), max, Math.min(256, max));
    };
    const pages = Math.max(1, o.vacuumPages ?? 4096);
    this.sizes = {
      rollup: rows(),
      ids: rows(),
      index: rows(),
      vacuum: new StepSize(stepMs, Math.min(8, pages), pages, Math.min(64, pages)),
    };
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
    this.running ??= this.store
      .exclusive(() => this.pass())
      .then((report) => report ?? undefined)
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<PassReport | undefined> {
    const started = performance.now();
    const report: PassReport = {
      rolledUp: 0,
      pruned: { readings: 0, rooms: 0, rollups: 0, images: 0, alerts: 0, presence: 0, bins: 0 },
      imageFileBytes: 0,
      vacuumedBytes: 0,
      ms: 0,
    };
    const checkpoints = this.o.checkpoints;
    // the worker's checkpoints wait for the pass's end (or failure): see pauseAfterStep
    await checkpoints?.pause();
    try {
      if (!(await this.work(report))) return undefined;
    } finally {
      checkpoints?.resume();
    }
    this.o.onStage?.("measure");
    try {
      this.latest = await (this.o.measure?.() ?? this.store.measure(this.o.clock()));
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

  /** The roll-up, prune and vacuum steps of a pass; false when stopped before their end. */
  private async work(report: PassReport): Promise<boolean> {
    const { retention: r } = this.o;
    const store = this.store;
    // roll up first: the prune takes only rows rolled up already
    this.o.onStage?.("roll-up");
    for (const kind of rollupKinds) {
      // up to the rows there now: a busy writer is not chased for ever
      const upTo = await store.lastRawId(kind);
      const n = await this.repeat("rollup", async (size) =>
        untilNone(await store.rollUpBatch(kind, size, upTo)),
      );
      if (n === undefined) return false;
      report.rolledUp += n;
    }
    const now = this.o.clock();
    const steps: Array<[keyof PassReport["pruned"], number, () => Promise<number | undefined>]> = [
      ["readings", r.readings, () => this.pruneGroups("readings", now - r.readings)],
      ["rooms", r.readings, () => this.pruneGroups("rooms", now - r.readings)],
      [
        "rollups",
        r.rollups,
        () =>
          this.repeat("index", async (size) =>
            untilNone(await store.pruneRollupsBatch(now - r.rollups, size)),
          ),
      ],
      [
        "alerts",
        r.alerts,
        () =>
          this.repeat("index", async (size) =>
            untilNone(await store.pruneAlertsBatch(now - r.alerts, size)),
          ),
      ],
      ["presence", r.presence, () => this.pruneGroups("presence", now - r.presence)],
      ["bins", r.bins, () => this.pruneGroups("bins", now - r.bins)],
    ];
    this.o.onStage?.("prune");
    for (const [kind, keep, run] of steps) {
      if (keep <= 0) continue;
      const n = await run();
      if (n === undefined) return false;
      report.pruned[kind] += n;
    }
    const images = await this.pruneImages(now, report);
    if (images === undefined) return false;
    for (const [kind, n] of Object.entries(report.pruned))
      if (n) this.prunedTotal?.inc({ kind }, n);
    this.o.onStage?.("vacuum");
    const vacuumed = await this.vacuum();
    if (vacuumed === undefined) return false;
    report.vacuumedBytes = vacuumed;
    return true;
  }

  /**
   * Runs `step` until it has no more to do, each step sized to about `stepMs` by the time the
   * last one took, pausing after every one — also the last, empty one: fifty devices' empty
   * steps back to back would hold the event loop as long as a batch. The total, or undefined if
   * stopped.
   */
  private async repeat(
    work: keyof Lifecycle["sizes"],
    step: (size: number) => Promise<Step>,
  ): Promise<number | undefined> {
    const sizer = this.sizes[work];
    let total = 0;
    for (;;) {
      if (this.stopped) return undefined;
      const size = sizer.next();
      const started = performance.now();
      const { n, more } = await step(size);
      const ms = performance.now() - started;
      sizer.took(ms, n >= size);
      this.o.onStep?.(work, size, n, ms);
      total += n;
      await this.pauseAfterStep();
      if (!more) return total;
    }
  }

  /**
   * The pause after a step, which lets the sinks in; with a checkpoints' worker, also the time
   * of one checkpoint of what the step wrote, the pause lasting as long as it does. Not while a
   * step runs: a checkpoint's copy and fsyncs beside a step made steps sized for 5 ms take
   * 30–225 ms (bench/prune.ts --trace). Not inside a step's commit either (SQLite's own
   * autocheckpoint, on the writers' connection and event loop; bench/prune.ts measured it: the
   * sinks' p99 two to three times higher, the prune three times slower, as the step sizing
   * shrank every step for the checkpoints some carried), nor on the event loop between steps
   * (no better: the sinks wait for its fsyncs). In the worker the event loop stays free for the
   * sinks meanwhile, and what the WAL holds beyond the file is about one step's pages: what the
   * sinks add while the worker copies, the next checkpoint takes, and the writers' connection's
   * own checkpoint at 64 MiB (which starts the WAL over) still bounds the WAL's size. The
   * price: the pass waits for the disk's fsyncs.
   */
  private async pauseAfterStep(): Promise<void> {
    const checkpoints = this.o.checkpoints;
    const pause = Bun.sleep(this.pauseMs);
    if (!checkpoints) return pause;
    const started = performance.now();
    const done = await checkpoints.checkpoint();
    if (done)
      this.o.onStep?.("checkpoint", done.log, done.checkpointed, performance.now() - started);
    await pause;
  }

  private async pruneGroups(
    kind: "readings" | "rooms" | "presence" | "bins",
    cutoff: number,
  ): Promise<number | undefined> {
    const store = this.store;
    // the bulk in id order first: a walk from the first id, a range at a time, until a range
    // that has rows but none old (a hole left by a removed device does not stop it)
    let [from, last] = await store.idSpan(kind);
    let total = 0;
    const walked = await this.repeat("ids", async (size) => {
      if (from === 0 || from > last) return { n: 0, more: false };
      const { deleted, kept } = await store.pruneIdRange(kind, from, size, cutoff);
      from += size;
      total += deleted;
      // `size` ids looked at, whatever was deleted: what the next range is sized by
      return { n: size, more: deleted > 0 || kept === 0 };
    });
    if (walked === undefined) return undefined;
    // then what is left through the index, a group (device, room…) at a time
    for (const g of await store.groupsOf(kind)) {
      const n = await this.repeat("index", async (size) =>
        untilNone(await store.pruneGroupBatch(kind, g, cutoff, size)),
      );
      if (n === undefined) return undefined;
      total += n;
    }
    return total;
  }

  private async pruneImages(now: number, report: PassReport): Promise<number | undefined> {
    const { dataDir, retention: r } = this.o;
    const store = this.store;
    const drop = async (victims: ImageVictim[]) => {
      report.imageFileBytes += await removeImages(store, dataDir, victims);
      report.pruned.images += victims.length;
      return victims.length;
    };
    if (r.images > 0) {
      for (const device of await store.groupsOf("images")) {
        const n = await this.repeat("index", async (size) =>
          untilNone(await drop(await store.oldImages(String(device), now - r.images, size))),
        );
        if (n === undefined) return undefined;
      }
    }
    if (r.imagesMaxBytes > 0) {
      const n = await this.repeat("index", async (size) =>
        untilNone(await drop(await store.imagesOverCap(r.imagesMaxBytes, size))),
      );
      if (n === undefined) return undefined;
    }
    return report.pruned.images;
  }

  /**
   * Gives the free pages back, a step at a time; the bytes the file shrank by (page count).
   * The file itself shrinks at the next checkpoint.
   */
  private async vacuum(): Promise<number | undefined> {
    const v = this.store.vacuumStep;
    if (!v) return 0; // PostgreSQL: autovacuum
    const pageSize = v.pageSize();
    const pageCount = () => v.pageCount();
    const before = pageCount();
    let free = v.free();
    const n = await this.repeat("vacuum", async (size) => {
      if (free === 0) return { n: 0, more: false };
      const left = v.step(size);
      const given = free - left;
      free = left;
      // none given back: auto-vacuum is off (a database not switched yet)
      return { n: given, more: left > 0 && given > 0 };
    });
    if (n === undefined) return undefined;
    return Math.max(0, before - pageCount()) * pageSize;
  }
}

/** A step that is done once it finds nothing to do. */
const untilNone = (n: number): Step => ({ n, more: n > 0 });

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
