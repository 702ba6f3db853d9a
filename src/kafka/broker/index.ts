/**
 * The embedded single-node broker speaking the Kafka wire protocol: real clients (kafkajs,
 * librdkafka/kcat, kafka-python) connect to it over TCP like to any Kafka.
 */
import { join } from "node:path";
import { ignoreDisk, type DiskReporter } from "../../disk/reporter.ts";
import { silentLogger, type Logger } from "../../core/log/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import type { KafkaAuthorizer } from "./authorize.ts";
import { PRINCIPAL, type BrokerContext } from "./context.ts";
import { createDispatcher } from "./dispatch.ts";
import { FetchWaiters } from "./fetch-waiters.ts";
import { FileOffsetStore, GroupCoordinator } from "./groups/index.ts";
import { resetOffsetsPastTheEnd } from "./groups/past-the-end.ts";
import { LogManager, type FsyncPolicy } from "./log/index.ts";
import { CloseConnection, FrameBudget, listenTcp } from "./net/index.ts";
import { rateLimited } from "../../limits/index.ts";
import { buildRegistry } from "./registry.ts";
import { DEFAULT_MAX_UNCOMPRESSED_BYTES } from "../protocol/record-batch.ts";

export interface KafkaBrokerOptions {
  host: string;
  port: number;
  dataDir: string;
  /** "host:port" to hand out in Metadata; default: the address each client connected to */
  advertised?: string;
  nodeId?: number;
  defaultPartitions?: number;
  autoCreateTopics?: boolean;
  fsync?: FsyncPolicy;
  /** with fsync "always": ms a sync round waits after the previous one began (0: none) */
  fsyncGatherMs?: number;
  retentionMs?: number;
  retentionBytes?: number;
  segmentBytes?: number;
  maxMessageBytes?: number;
  /** partitions across all topics at most (default 2000); a topic past it is refused */
  maxTotalPartitions?: number;
  /** a gzip batch whose records decompress past this is refused (default 64 MiB) */
  maxUncompressedBytes?: number;
  /**
   * SASL/PLAIN: when set with `requireAuth`, clients must authenticate first; what it returns
   * is the connection's principal (null: refused), which `authorize` is asked about
   */
  authenticate?: (username: string, password: string) => unknown | Promise<unknown>;
  authorize?: KafkaAuthorizer;
  requireAuth?: boolean;
  /** open client connections at most (default 1024); more are closed on accept */
  maxConnections?: number;
  /** unauthenticated connections per remote address (default 64) */
  maxPendingPerAddress?: number;
  /** close connections with no byte read or written for this long (default 10 min) */
  idleTimeoutMs?: number;
  /** close connections not authenticated (open broker: without a request) by then (10 s) */
  handshakeTimeoutMs?: number;
  /** memory for large request frames being received or handled, all connections (128 MiB) */
  frameBudgetBytes?: number;
  log?: Logger;
  metrics?: MetricsRegistry;
  /** told when the disk refuses a log write (full, quota, I/O error) and when writes succeed */
  disk?: DiskReporter;
}

export interface KafkaBroker {
  host: string;
  port: number;
  /** "host:port" for clients on this machine */
  address: string;
  logs: LogManager;
  groups: GroupCoordinator;
  /** the parts the handlers use: what the in-process clients (src/bus/in-process) call too */
  context: BrokerContext;
  connections(): number;
  /** closes the connections whose principal matches (a revoked token); how many it closed */
  disconnectWhere(match: (principal: unknown) => boolean): number;
  /** per consumer group: records not yet committed (high watermark − committed offset) */
  lag(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startKafkaBroker(opts: KafkaBrokerOptions): Promise<KafkaBroker> {
  const log = opts.log ?? silentLogger;
  const metrics = opts.metrics ?? new MetricsRegistry();
  const maxMessageBytes = opts.maxMessageBytes ?? 8 << 20;
  const logs = new LogManager({
    dataDir: opts.dataDir,
    fsync: opts.fsync ?? "always",
    fsyncGatherMs: opts.fsyncGatherMs,
    retentionMs: opts.retentionMs ?? 7 * 24 * 3600_000,
    retentionBytes: opts.retentionBytes ?? -1,
    segmentBytes: opts.segmentBytes,
    maxTotalPartitions: opts.maxTotalPartitions,
    log,
    disk: opts.disk,
  }).open();
  const groups = new GroupCoordinator({
    offsetStore: new FileOffsetStore(join(logs.dir, "__consumer_offsets")),
    log,
  });
  // before any client connects: a group past a truncated log's end would skip new records
  await resetOffsetsPastTheEnd(groups.offsets, logs, log);
  logs.onTruncate((topic, partition) => {
    resetOffsetsPastTheEnd(groups.offsets, logs, log, { topic, partition }).catch((err) =>
      log.error("cannot reset offsets past a truncated log's end", { topic, partition, err }),
    );
  });
  const fetchWaiters = new FetchWaiters(logs);
  const [advHost, advPort] = opts.advertised ? splitHostPort(opts.advertised) : [null, 0];
  const wildcard = opts.host === "0.0.0.0" || opts.host === "::";
  const broker: BrokerContext = {
    nodeId: opts.nodeId ?? 1,
    advertised: { host: advHost ?? (wildcard ? null : opts.host), port: advPort },
    clusterId: "iot-embedded",
    logs,
    groups,
    fetchWaiters,
    defaultPartitions: opts.defaultPartitions ?? 2,
    autoCreateTopics: opts.autoCreateTopics ?? true,
    maxMessageBytes,
    maxUncompressedBytes: opts.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES,
    authenticate: opts.authenticate,
    authorize: opts.authorize,
    requireAuth: opts.requireAuth ?? false,
    log,
    metrics,
    disk: opts.disk ?? ignoreDisk,
  };
  // a produce request carries at most one batch per partition; leave room for several
  const maxFrameBytes = maxMessageBytes + (1 << 20);
  const budgetFull = rateLimited((m, f) => log.warn(m, f));
  const budget = new FrameBudget(
    Math.max(opts.frameBudgetBytes ?? 128 << 20, maxFrameBytes),
    64 * 1024,
    (size) =>
      budgetFull("frame memory budget full: a large request waits", {
        size,
        used: budget.usedBytes,
        limit: budget.limitBytes,
      }),
  );
  const server = listenTcp({
    host: opts.host,
    port: opts.port,
    maxFrameBytes,
    handler: createDispatcher(buildRegistry(), broker),
    log,
    metrics,
    limits: { requireAuth: broker.requireAuth, budget },
    timeouts: {
      ...(opts.idleTimeoutMs !== undefined && { idleMs: opts.idleTimeoutMs }),
      ...(opts.handshakeTimeoutMs !== undefined && { handshakeMs: opts.handshakeTimeoutMs }),
    },
    maxConnections: opts.maxConnections,
    maxPendingPerAddress: opts.maxPendingPerAddress,
  });
  if (!advPort) broker.advertised.port = server.port;
  metrics.collect("iot_kafka_log_fsyncs", "fdatasync calls for acknowledged produces", () => [
    { value: logs.fsyncCount() },
  ]);
  metrics.collect(
    "iot_kafka_log_fsyncs_inline",
    "of those, made on the event loop's thread (quiet rounds, a fast disk)",
    () => [{ value: logs.inlineFsyncCount() }],
  );
  metrics.collect("iot_kafka_connections", "open Kafka client connections", () => [
    { value: server.connections.size },
  ]);
  metrics.collect("iot_kafka_frame_budget_bytes", "memory held by large request frames", () => [
    { value: budget.usedBytes },
  ]);
  metrics.collect("iot_kafka_parked_fetches", "long-polling Fetch requests", () => [
    { value: fetchWaiters.parked },
  ]);
  log.info("kafka broker listening", { host: opts.host, port: server.port });
  return {
    host: opts.host,
    port: server.port,
    address: `${wildcard ? "127.0.0.1" : opts.host}:${server.port}`,
    logs,
    groups,
    context: broker,
    connections: () => server.connections.size,
    disconnectWhere(match) {
      let closed = 0;
      for (const conn of [...server.connections]) {
        if (conn.closed || !conn.state.has(PRINCIPAL) || !match(conn.state.get(PRINCIPAL)))
          continue;
        conn.fail(new CloseConnection("its token was revoked"));
        closed++;
      }
      return closed;
    },
    lag: () => {
      const out: Record<string, number> = {};
      for (const group of groups.offsets.groups()) {
        out[group] = 0;
        for (const c of groups.offsets.list(group)) {
          const hw = logs.partition(c.topic, c.partition)?.highWatermark ?? c.offset;
          out[group] += Math.max(0, hw - c.offset);
        }
      }
      return out;
    },
    async stop() {
      server.stop();
      fetchWaiters.close();
      groups.close();
      logs.close();
    },
  };
}

function splitHostPort(s: string): [string, number] {
  const at = s.lastIndexOf(":");
  const port = Number(s.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`advertised address '${s}' is not host:port`);
  }
  return [s.slice(0, at).replace(/^\[|\]$/g, ""), port];
}
