import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Health } from "../health/index.ts";
import { startKafkaBroker } from "../kafka/broker/index.ts";
import { createApp } from "../http/index.ts";
import type { Logger } from "../log/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { openStore } from "../store/index.ts";
import { version } from "../version.ts";
import type { ServeOptions } from "./options.ts";

export interface Running {
  urls: { http: string };
  /** bootstrap servers the pipeline's own Kafka clients use */
  kafkaBrokers: string[];
  health: Health;
  metrics: MetricsRegistry;
  stop(): Promise<void>;
}

/** What `iot serve` started, stopped in reverse order on shutdown. */
type Stopper = { name: string; stop: () => Promise<void> | void };

/**
 * Starts the parts of `iot serve` its role asks for. Everything is passed in; nothing happens
 * at import time, so tests start and stop whole servers on free ports.
 */
export async function startServe(opts: ServeOptions, log: Logger): Promise<Running> {
  const health = new Health();
  const metrics = new MetricsRegistry();
  const stoppers: Stopper[] = [];
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
    mkdirSync(opts.dataDir, { recursive: true });
    const store = openStore(join(opts.dataDir, "iot.db"));
    stoppers.push({ name: "store", stop: () => store.close() });
    health.register("store", () => ({ state: "up" }));

    const kafkaBrokers = await startKafka(opts, log, metrics, health, stoppers);

    const app = createApp({ health, metrics, version, log: log.child("http") });
    const http = Bun.serve({
      hostname: opts.host,
      port: opts.httpPort,
      fetch: app.fetch,
      // Bodies beyond this are refused before they are buffered (images are the largest).
      maxRequestBodySize: 16 * 1024 * 1024,
      error: (err) => {
        log.error("http error", { err });
        return new Response("internal error", { status: 500 });
      },
    });
    // Stop accepting, then let in-flight requests finish.
    stoppers.push({ name: "http", stop: () => http.stop() });
    const httpUrl = `http://${opts.host}:${http.port}`;
    health.register("http", () => ({ state: "up", detail: { url: httpUrl } }));
    log.info("listening", { component: "http", url: httpUrl });

    return { urls: { http: httpUrl }, kafkaBrokers, health, metrics, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

const runsBrokers = (opts: ServeOptions) => opts.role === "all" || opts.role === "brokers";

/** The embedded Kafka-API broker, unless `--kafka-brokers` points at an existing cluster. */
async function startKafka(
  opts: ServeOptions,
  log: Logger,
  metrics: MetricsRegistry,
  health: Health,
  stoppers: Stopper[],
): Promise<string[]> {
  if (opts.kafkaBrokers.length > 0) {
    health.register("kafka", () => ({ state: "external", detail: { brokers: opts.kafkaBrokers } }));
    return opts.kafkaBrokers;
  }
  const local = `127.0.0.1:${opts.kafkaPort}`;
  if (!runsBrokers(opts)) {
    health.register("kafka", () => ({ state: "external", detail: { brokers: [local] } }));
    return [local];
  }
  const broker = await startKafkaBroker({
    host: opts.host,
    port: opts.kafkaPort,
    dataDir: opts.dataDir,
    advertised: opts.kafkaAdvertised || undefined,
    defaultPartitions: opts.kafkaPartitions,
    fsync: opts.kafkaFsync,
    retentionMs: opts.kafkaRetentionHours * 3600_000,
    retentionBytes: opts.kafkaRetentionMb < 0 ? -1 : opts.kafkaRetentionMb * 1024 * 1024,
    maxMessageBytes: opts.kafkaMaxMessageBytes,
    log: log.child("kafka"),
    metrics,
  });
  stoppers.push({ name: "kafka", stop: () => broker.stop() });
  health.register("kafka", () => ({
    state: "up",
    detail: { address: broker.address, connections: broker.connections() },
  }));
  return [broker.address];
}
