import { startKafkaBroker } from "../kafka/broker/index.ts";
import { runs, type ServeContext } from "./components.ts";

/** The embedded Kafka-API broker, unless `--kafka-brokers` points at an existing cluster. */
export async function startKafka({
  opts,
  log,
  metrics,
  health,
  onStop,
}: ServeContext): Promise<string[]> {
  if (opts.kafkaBrokers.length > 0) {
    health.register("kafka", () => ({ state: "external", detail: { brokers: opts.kafkaBrokers } }));
    return opts.kafkaBrokers;
  }
  const local = `127.0.0.1:${opts.kafkaPort}`;
  if (!runs(opts, "brokers")) {
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
  onStop("kafka", () => broker.stop());
  health.register("kafka", () => ({
    state: "up",
    detail: { address: broker.address, connections: broker.connections() },
  }));
  return [broker.address];
}
