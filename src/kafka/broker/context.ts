import type { DiskReporter } from "../../disk/reporter.ts";
import type { Logger } from "../../core/log/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";
import type { ApiDef } from "../protocol/index.ts";
import type { KafkaAction, KafkaAuthorizer } from "./authorize.ts";
import type { FetchWaiters } from "./fetch-waiters.ts";
import type { GroupCoordinator } from "./groups/index.ts";
import type { LogManager } from "./log/index.ts";
import type { Connection } from "./net/index.ts";

/** What every handler may use: the broker's parts and settings. */
export interface BrokerContext {
  nodeId: number;
  /** host:port clients are told to connect to; host null = the address they reached us on */
  advertised: { host: string | null; port: number };
  clusterId: string;
  logs: LogManager;
  groups: GroupCoordinator;
  fetchWaiters: FetchWaiters;
  defaultPartitions: number;
  autoCreateTopics: boolean;
  maxMessageBytes: number;
  /** a gzip batch's records, decompressed, at most this (checked at produce) */
  maxUncompressedBytes: number;
  /**
   * SASL/PLAIN check: the connection's principal, or null to refuse; undefined = open broker
   * (any credentials are accepted)
   */
  authenticate?: (username: string, password: string) => unknown | Promise<unknown>;
  /** with `requireAuth`: may this connection's principal do that? (authorize.ts) */
  authorize?: KafkaAuthorizer;
  requireAuth: boolean;
  log: Logger;
  metrics: MetricsRegistry;
  /** told when a log write is refused by the disk, and when writes succeed again */
  disk: DiskReporter;
}

export interface RequestContext {
  version: number;
  clientId: string | null;
  conn: Connection;
  broker: BrokerContext;
}

/**
 * One API's server side: the codec, the versions this broker serves (a subset of the codec's),
 * and the handler. A `null` result sends no response (Produce with acks=0).
 */
export interface Handler<Req = any, Res = any> {
  api: ApiDef;
  minVersion?: number;
  maxVersion?: number;
  handle(req: Req, ctx: RequestContext): Res | null | Promise<Res | null>;
}

export function defineHandler<Req, Res>(h: Handler<Req, Res>): Handler<Req, Res> {
  return h;
}

/** The host to put in Metadata / FindCoordinator for this connection. */
export function advertisedHost(ctx: RequestContext): string {
  return ctx.broker.advertised.host ?? ctx.conn.localAddress;
}

/** Connection state: what `authenticate` returned for this connection. */
export const PRINCIPAL = "principal";

/**
 * Why this connection may not do that, or null when it may (always, on an open broker). A
 * refusal is logged and counted here; the handler answers with the resource's error code.
 */
export function refusal(
  ctx: RequestContext,
  action: KafkaAction,
  opts: { quiet?: boolean } = {},
): string | null {
  const { broker, conn } = ctx;
  if (!broker.requireAuth || !broker.authorize) return null;
  const reason = broker.authorize(conn.state.get(PRINCIPAL), action);
  if (reason === null || opts.quiet) return reason;
  broker.log.warn("kafka request not authorized", { conn: conn.id, remote: conn.remote, reason });
  broker.metrics
    .counter("iot_kafka_unauthorized_total", "requests refused by authorization")
    .inc({ op: action.op });
  return reason;
}
