import { join } from "node:path";
import type { Logger } from "../core/log/index.ts";
import { DAY_MS, Lifecycle, type PassCheckpoints } from "../lifecycle/index.ts";
import { measureInChild } from "../lifecycle/measure.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { Store } from "../store/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import { autoVacuumMode, switchToIncrementalVacuum } from "../store/vacuum.ts";
import type { ServeOptions } from "./options.ts";

/**
 * The background data lifecycle with the retention options. A database made before incremental
 * auto-vacuum is switched first, with one VACUUM (a one-time rewrite: said in the log, since it
 * takes a while on a large file). With PostgreSQL (`engine`) the passes run there: no vacuum
 * (autovacuum), the disk use measured by PostgreSQL, and one pass at a time across the fleet.
 * On SQLite a pass pauses the WAL checkpoints' worker (`checkpoints`) and has it checkpoint
 * between its steps instead.
 */
export function startLifecycle(
  opts: ServeOptions,
  store: Store,
  metrics: MetricsRegistry,
  log: Logger,
  engine?: StoreEngine,
  checkpoints?: PassCheckpoints,
): Lifecycle {
  if (engine?.dialect === "postgres")
    return new Lifecycle({ ...settings(opts, metrics, log), store: engine.lifecycle }).start();
  if (autoVacuumMode(store.sqlite) !== "incremental") {
    const path = join(opts.dataDir, "iot.db");
    log.info("switching the database to incremental auto-vacuum: one VACUUM, once", { path });
    const started = performance.now();
    try {
      switchToIncrementalVacuum(store.sqlite);
      log.info("database switched to incremental auto-vacuum", {
        ms: Math.round(performance.now() - started),
      });
    } catch (err) {
      // busy or out of space: pruning still works, the file just keeps its size; next start retries
      log.warn("could not switch to incremental auto-vacuum; freed space stays in the file", {
        err,
      });
    }
  }
  return new Lifecycle({
    ...settings(opts, metrics, log),
    db: store.db,
    checkpoints,
    measure: () => measureInChild(join(opts.dataDir, "iot.db")),
  }).start();
}

function settings(opts: ServeOptions, metrics: MetricsRegistry, log: Logger) {
  return {
    dataDir: opts.dataDir,
    clock: Date.now,
    log,
    metrics,
    intervalMs: opts.lifecycleIntervalMinutes * 60_000,
    retention: {
      readings: opts.retainReadingsDays * DAY_MS,
      rollups: opts.retainRollupsDays * DAY_MS,
      images: opts.retainImagesDays * DAY_MS,
      imagesMaxBytes: opts.imagesMaxMb * 1024 * 1024,
      alerts: opts.retainAlertsDays * DAY_MS,
      presence: opts.retainPresenceDays * DAY_MS,
      bins: opts.retainBinsDays * DAY_MS,
    },
  };
}
