import type { Hono } from "hono";
import { join } from "node:path";
import {
  ConsumerWatch,
  defaultPresence,
  defaultWatch,
  startConsumers,
  VideoHub,
} from "../consumers/index.ts";
import { openDataDir } from "../core/datadir/index.ts";
import { alertOnDisk } from "../disk/alert.ts";
import { SpaceReserve } from "../disk/reserve.ts";
import { DiskWatch } from "../disk/watch.ts";
import { Alerts } from "../alerts/index.ts";
import { EventBus } from "../events/index.ts";
import { Health } from "../health/index.ts";
import { createApp, loginRoutes, requireHttpToken, videoRoutes } from "../http/index.ts";
import { deviceRoutes } from "../http/routes/devices.ts";
import { hostPolicy } from "../http/protect/index.ts";
import { dashboardRoutes } from "../http/dashboard/routes.tsx";
import { apiRoutes } from "../http/routes/api.ts";
import { seriesRoutes } from "../http/routes/series.ts";
import { historyRoutes } from "../http/routes/history.ts";
// routes.tsx, not index.ts: the operations behind the document load at its first request
import { openApiRoutes } from "../http/openapi/routes.tsx";
import { collectorRoutes } from "../http/routes/collector.ts";
import { defaultSessionTimes, INTERNAL_USER, internalSecret, requiresAuth } from "../auth/index.ts";
import { batchingProducer, inProcessBus, kafkajsBus } from "../bus/index.ts";
import type { Logger } from "../core/log/index.ts";
import { processHooks, startIdleShrink } from "../core/memory/idle-shrink.ts";
import { pageOutWhenIdle } from "../core/memory/page-out.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { startLifecycle } from "./lifecycle.ts";
import { Checkpointer } from "../store/checkpointer.ts";
import { openStore } from "../store/index.ts";
import { sqliteEngine } from "../store/engine/index.ts";
import { NotifySettings, startNotify } from "../notify/index.ts";
import { savedInEngine } from "../notify/config/settings.ts";
import { notifySettingsRoutes } from "../http/routes/notify-settings.tsx";
import { version } from "../version.ts";
import { runs, type ServeContext } from "./components.ts";
import { listenerCaps } from "./caps.ts";
import { listenHttp } from "./http.ts";
import { siteInfo } from "./site.ts";
import { startKafka } from "./kafka.ts";
import { changeFeedOn, startChangeFeed } from "./changes.ts";
import { startMqttSide } from "./mqtt.ts";
import { databaseUrlOption, type ServeOptions } from "./options.ts";
import { loadTls } from "./tls.ts";

export interface Running {
  urls: { http: string };
  /** bootstrap servers the pipeline's own Kafka clients use */
  kafkaBrokers: string[];
  health: Health;
  metrics: MetricsRegistry;
  bus: EventBus;
  /** every HTTP route, as hono registered it (what /openapi.json must document) */
  routes: Array<{ method: string; path: string }>;
  stop(): Promise<void>;
}

/**
 * Starts the parts of `iot serve` its role asks for. The pipeline (bridge, collector, sinks,
 * notify) calls the Kafka broker running in this process directly (src/bus/in-process), and
 * any other Kafka (another role's process, --kafka-brokers) over TCP with kafkajs. Everything is passed in; nothing happens at import time, so tests start and stop whole
 * servers on free ports. Parts stop in reverse order.
 */
export async function startServe(opts: ServeOptions, log: Logger): Promise<Running> {
  const health = new Health();
  const metrics = new MetricsRegistry();
  const bus = new EventBus();
  const stoppers: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const stopAll = async () => {
    for (const s of stoppers.splice(0).reverse()) {
      try {
        await s.stop();
        log.info("stopped", { component: s.name });
      } catch (e) {
        log.error("stop failed", { component: s.name, err: e });
      }
    }
  };

  try {
    const tls = loadTls(opts);
    // Before anything opens a file in it: the process running the brokers owns the data dir
    // (Kafka logs, offsets, spool have one writer); every role shares the SQLite store.
    const dataDir = openDataDir(
      opts.dataDir,
      { command: "iot serve", owner: runs(opts, "brokers"), store: "shared" },
      log,
    );
    stoppers.push({ name: "data-dir", stop: () => dataDir.release() });
    const security = {
      required: await requiresAuth(opts.host, opts.insecure),
      secret: internalSecret(opts.dataDir),
    };
    const store = openStore(join(opts.dataDir, "iot.db"));
    stoppers.push({ name: "store", stop: () => store.close() });
    // WAL checkpoints (a copy and two fsyncs) in a worker, not inside the sinks' commits
    const checkpoints = Checkpointer.start(store.sqlite, join(opts.dataDir, "iot.db"), {
      onError: (message) => log.warn("WAL checkpoint failed", { message }),
    });
    stoppers.push({ name: "checkpoints", stop: () => checkpoints.stop() });
    // its worker starts only once the WAL has something to copy (an idle server runs without it)
    metrics.collect(
      "iot_sqlite_checkpoint_worker",
      "1 while the WAL checkpoint worker runs",
      () => [{ value: checkpoints.workerRunning ? 1 : 0 }],
    );
    health.register("store", () => ({ state: "up" }));
    // --database-url: PostgreSQL, migrated before anything writes (the sinks, alerts and
    // notifications write there through the engine); else the SQLite file behind the same face
    const engine = opts.databaseUrl
      ? await import("../store/engine/open-postgres.ts")
          .then(({ openPostgresEngine }) =>
            openPostgresEngine(opts.databaseUrl, { pool: opts.databasePool }),
          )
          .catch((e) => {
            // named without its password
            throw new Error(`${databaseUrlOption.mask(opts.databaseUrl)}: ${(e as Error).message}`);
          })
      : sqliteEngine(store.db);
    stoppers.push({ name: "engine", stop: () => engine.close() });
    // one engine per store (each holds the lock of its connection): PostgreSQL with
    // --database-url, else the SQLite file; the sinks, API, auth, lifecycle and pages use it
    const storeEngine = engine;
    const disk = new DiskWatch({
      dir: opts.dataDir,
      minFreeBytes: opts.diskMinFreeMb * 1024 * 1024,
      log: log.child("disk"),
      metrics,
    }).start();
    stoppers.push({ name: "disk", stop: () => disk.stop() });
    health.register("disk", () => disk.health());
    const reserve = new SpaceReserve(join(opts.dataDir, ".iot-disk-reserve"));
    alertOnDisk(disk, new Alerts(engine, bus), opts.dataDir, log.child("disk"), reserve);
    // one pruner per data dir: the process that owns it
    let lifecycle: ReturnType<typeof startLifecycle> | undefined;
    if (runs(opts, "brokers")) {
      const started = startLifecycle(
        opts,
        store,
        metrics,
        log.child("lifecycle"),
        engine,
        checkpoints,
      );
      lifecycle = started;
      stoppers.push({ name: "lifecycle", stop: () => started.stop() });
    }
    if (security.required)
      log.info("protected mode: clients must authenticate", { host: opts.host });
    const ctx: ServeContext = {
      caps: listenerCaps(opts, log),
      opts,
      log,
      metrics,
      health,
      db: store.db,
      store: storeEngine,
      security,
      tls,
      disk,
      onStop: (name, stop) => void stoppers.push({ name, stop }),
    };

    const { brokers: kafkaBrokers, embedded } = await startKafka(ctx);
    let httpUrl: string | undefined;
    const ownKafka = opts.kafkaBrokers.length === 0;
    // kafkajs (a large library) is loaded only when this process talks Kafka over TCP: the
    // pipeline calls the broker running in this process directly
    const inProcess = embedded !== null && opts.kafkaInProcess;
    const kafka =
      inProcess && !changeFeedOn(opts)
        ? null
        : (await import("../core/kafka/kafka.ts")).createKafka({
            brokers: kafkaBrokers,
            clientId: "iot-serve",
            log: log.child("kafkajs"),
            // iot's own clients log in to its own protected broker; an external cluster is configured apart
            sasl:
              security.required && ownKafka
                ? { username: INTERNAL_USER, password: security.secret }
                : undefined,
            limits: {
              maxUncompressedBytes: opts.kafkaMaxUncompressedBytes,
              maxRecordBytes: opts.kafkaMaxRecordBytes,
            },
          });
    const pipeline = inProcess
      ? inProcessBus(embedded.context, { lingerMs: opts.consumerLingerMs })
      : kafkajsBus(kafka!);
    log.info("pipeline kafka client", { kind: pipeline.kind });
    if (kafka && changeFeedOn(opts)) startChangeFeed(ctx, kafka, bus);
    const commands = await startMqttSide(ctx, pipeline);
    // the settings page and the notifier share them: a save is in force at once
    // saved from the dashboard: in PostgreSQL with --database-url (read there behind the copy in
    // force), else in the SQLite file (read at once)
    const notify = new NotifySettings(
      engine.dialect === "postgres" ? savedInEngine(engine) : store.db,
      opts.notify,
      commands.publish,
    );

    const sessions = {
      times: { ...defaultSessionTimes, idleMs: opts.sessionHours * 3600_000 },
      secure: tls !== null,
    };
    const routers: Hono[] = [loginRoutes(storeEngine, sessions), openApiRoutes(version)];
    const hub = videoHub(opts, metrics, bus);
    ctx.onStop("video", hub.sweepEvery(Math.max(1000, (opts.videoIdleSeconds * 1000) / 2)));
    if (runs(opts, "consumers")) {
      // In the background: after a crash the groups wait for dead members' sessions to expire,
      // and the dashboard and API should not wait for that.
      let state: "starting" | "up" | "down" = "starting";
      const watch = new ConsumerWatch(metrics, {
        ...defaultWatch,
        maxRestarts: opts.consumerMaxRestarts,
        maxLag: opts.consumerMaxLag,
      });
      const consumers = startConsumers({
        kafka: pipeline,
        engine,
        dataDir: opts.dataDir,
        bus,
        hub,
        log: log.child("consumers"),
        metrics,
        disk,
        presence: { ...defaultPresence, minAwayMs: opts.presenceMinAwaySeconds * 1000 },
        watch,
        maxRecordBytes: opts.kafkaMaxRecordBytes,
      });
      consumers.then(
        () => void (state = "up"),
        (e) => {
          state = "down";
          log.error("consumers failed to start", { err: e });
        },
      );
      ctx.onStop("consumers", async () => (await consumers.catch(() => null))?.stop());
      const notifier = startNotify({
        kafka: pipeline,
        engine,
        bus,
        log: log.child("notify"),
        metrics,
        settings: notify,
      });
      notifier.catch((e) => log.error("notifier failed to start", { err: e }));
      ctx.onStop("notify", async () => (await notifier.catch(() => null))?.stop());
      health.register("consumers", () => (state === "up" ? watch.health() : { state }));
      routers.push(videoRoutes(hub));
    }
    if (runs(opts, "collector")) {
      // concurrent requests share one produce; each is answered once its record is durable
      const producer = batchingProducer(pipeline.producer());
      await producer.connect();
      ctx.onStop("collector-producer", () => producer.close());
      routers.push(
        collectorRoutes({
          producer,
          store: storeEngine,
          commands,
          bus,
          log: log.child("collector"),
        }),
      );
      routers.push(apiRoutes({ engine: storeEngine, bus }));
      routers.push(seriesRoutes({ engine: storeEngine }));
      routers.push(historyRoutes({ engine: storeEngine }));
      routers.push(
        deviceRoutes({
          engine: storeEngine,
          bus,
          dataDir: opts.dataDir,
          log: log.child("devices"),
        }),
      );
      const dashboard = dashboardRoutes({
        store: storeEngine,
        health,
        bus,
        version,
        metrics,
        videoSources: () => hub.sources(),
        site: () => siteInfo(health, httpUrl),
        usage: () => lifecycle?.usage(),
      });
      ctx.onStop("dashboard", () => dashboard.live.close());
      routers.push(dashboard.app);
      routers.push(
        notifySettingsRoutes({
          store: storeEngine,
          settings: notify,
          version,
          protect: security.required,
        }),
      );
    }

    const app = createApp({
      health,
      metrics,
      version,
      log: log.child("http"),
      routers,
      maxBodyBytes: opts.httpMaxBodyBytes,
      guard: security.required ? requireHttpToken(storeEngine, sessions) : undefined,
      hosts: hostPolicy({ bind: opts.host, allowed: opts.allowedHosts }),
    });
    const http = listenHttp({
      host: opts.host,
      port: opts.httpPort,
      tls: tls ?? undefined,
      idleTimeoutSeconds: opts.httpIdleTimeoutSeconds,
      maxRequests: ctx.caps.http,
      fetch: app.fetch,
      log: log.child("http"),
      metrics,
    });
    // Stopped first: no new requests while the rest drains.
    ctx.onStop("http", () => http.stop());
    httpUrl = `${tls ? "https" : "http"}://${opts.host}:${http.port}`;
    health.register("http", () => ({ state: "up", detail: { url: httpUrl } }));
    log.info("listening", { component: "http", url: httpUrl });

    // once quiet after start-up or a load: start-up's run-once code and the heap grown under
    // load go back to the system (src/core/memory/idle-shrink.ts)
    const shrinks = metrics.counter(
      "iot_memory_shrinks_total",
      "times the quiet process dropped unused compiled code and collected its heap",
    );
    const pagedOut = metrics.counter(
      "iot_memory_paged_out_bytes_total",
      "clean file-backed pages (the executable's code) handed back to the kernel once quiet",
    );
    ctx.onStop(
      "idle-shrink",
      startIdleShrink(undefined, () => shrinks.inc(), {
        ...processHooks,
        pageOut: opts.idlePageOut
          ? pageOutWhenIdle(log, (bytes) => pagedOut.inc({}, bytes))
          : undefined,
      }).stop,
    );

    const routes = app.routes.map(({ method, path }) => ({ method, path }));
    return { urls: { http: httpUrl! }, kafkaBrokers, health, metrics, bus, routes, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The live video hub with its memory bounds, counted in /metrics. */
function videoHub(opts: ServeOptions, metrics: MetricsRegistry, bus: EventBus): VideoHub {
  const dropped = metrics.counter(
    "iot_video_frames_dropped_total",
    "live video frames not kept, by reason",
  );
  const evicted = metrics.counter(
    "iot_video_sources_evicted_total",
    "live video sources forgotten, by reason",
  );
  const hub = new VideoHub(
    {
      maxSources: opts.videoMaxSources,
      maxFrameBytes: opts.videoMaxFrameBytes,
      idleMs: opts.videoIdleSeconds * 1000,
    },
    {
      dropped: (reason) => dropped.inc({ reason }),
      evicted: (reason) => {
        evicted.inc({ reason });
        bus.publish({ type: "image" }); // the cameras page: back to its placeholder
      },
      started: () => bus.publish({ type: "image" }), // the cameras page: the live picture
    },
  );
  metrics.collect("iot_video_sources", "live video sources held", () => [
    { value: hub.sources().length },
  ]);
  metrics.collect("iot_video_bytes", "bytes of the newest frames held", () => [
    { value: hub.bytes },
  ]);
  return hub;
}
