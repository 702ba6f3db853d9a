import {
  internalPrincipal,
  isInternalLogin,
  kafkaAllowed,
  tokenPrincipal,
  watchRevocations,
  type Principal,
} from "../auth/index.ts";
import { startKafkaBroker, type KafkaBroker } from "../kafka/broker/index.ts";
import { runs, type ServeContext } from "./components.ts";

export interface KafkaSide {
  /** bootstrap servers for kafkajs clients */
  brokers: string[];
  /** the broker running in this process, if any: the pipeline then calls it directly */
  embedded: KafkaBroker | null;
}

/** The embedded Kafka-API broker, unless `--kafka-brokers` points at an existing cluster. */
export async function startKafka(ctx: ServeContext): Promise<KafkaSide> {
  const { opts, log, metrics, health, onStop, security, store, caps } = ctx;
  if (opts.kafkaBrokers.length > 0) {
    health.register("kafka", () => ({ state: "external", detail: { brokers: opts.kafkaBrokers } }));
    return { brokers: opts.kafkaBrokers, embedded: null };
  }
  const local = `127.0.0.1:${opts.kafkaPort}`;
  if (!runs(opts, "brokers")) {
    health.register("kafka", () => ({ state: "external", detail: { brokers: [local] } }));
    return { brokers: [local], embedded: null };
  }
  const broker = await startKafkaBroker({
    host: opts.host,
    port: opts.kafkaPort,
    dataDir: opts.dataDir,
    advertised: opts.kafkaAdvertised || undefined,
    defaultPartitions: opts.kafkaPartitions,
    fsync: opts.kafkaFsync,
    fsyncGatherMs: opts.kafkaFsyncGatherMs,
    retentionMs: opts.kafkaRetentionHours * 3600_000,
    retentionBytes: opts.kafkaRetentionMb < 0 ? -1 : opts.kafkaRetentionMb * 1024 * 1024,
    maxMessageBytes: opts.kafkaMaxMessageBytes,
    maxTotalPartitions: opts.kafkaMaxPartitions,
    maxUncompressedBytes: opts.kafkaMaxUncompressedBytes,
    requireAuth: security.required,
    authenticate: (user, password) =>
      isInternalLogin(user, password, security.secret)
        ? internalPrincipal
        : tokenPrincipal(store, "kafka", user, password),
    // what each role may do: src/auth/kafka-policy.ts
    authorize: (principal, action) => kafkaAllowed(principal as Principal, action),
    maxConnections: caps.kafka,
    maxPendingPerAddress: opts.maxPendingPerAddress,
    handshakeTimeoutMs: opts.handshakeTimeoutSeconds * 1000,
    idleTimeoutMs: opts.idleTimeoutSeconds * 1000,
    frameBudgetBytes: opts.kafkaFrameBudgetMb * 1024 * 1024,
    log: log.child("kafka"),
    metrics,
    disk: ctx.disk,
  });
  onStop("kafka", () => broker.stop());
  if (security.required) {
    const revocations = watchRevocations({
      store,
      holders: [
        { name: "kafka", disconnectWhere: (m) => broker.disconnectWhere((p) => m(p as Principal)) },
      ],
      log,
    });
    onStop("kafka-revocations", () => revocations.stop());
  }
  health.register("kafka", () => ({
    state: "up",
    detail: { address: broker.address, connections: broker.connections(), lag: broker.lag() },
  }));
  return { brokers: [broker.address], embedded: broker };
}
