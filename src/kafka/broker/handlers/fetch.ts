import { ErrorCode } from "../../protocol/errors.ts";
import { fetchApi, type FetchRequest, type FetchResponse } from "../../protocol/fetch/index.ts";
import { defineHandler, type BrokerContext, type RequestContext, refusal } from "../context.ts";

type Partitions = FetchResponse["responses"];

/**
 * Whole batches from each requested partition, within the partition and response byte limits
 * (the first non-empty partition always gets at least one whole batch, KIP-74). With fewer than
 * min_bytes available the request is parked until an append, max_wait_ms, or disconnect: never
 * an instant empty loop, never longer than asked (kafkajs heartbeats only between fetches).
 */
export const fetchHandler = defineHandler({
  api: fetchApi,
  async handle(req: FetchRequest, ctx: RequestContext): Promise<FetchResponse> {
    const { broker, conn } = ctx;
    const denied = new Set(
      req.topics.map((t) => t.topic).filter((topic) => refusal(ctx, { op: "read", topic })),
    );
    let result = collect(req, broker, denied);
    if (result.bytes < Math.max(1, req.minBytes) && req.maxWaitMs > 0 && !result.error) {
      const parts = req.topics.flatMap((t) =>
        t.partitions.map((p): [string, number] => [t.topic, p.partition]),
      );
      await broker.fetchWaiters.wait(parts, Math.min(req.maxWaitMs, 30_000), conn.closedSignal);
      result = collect(req, broker, denied);
    }
    broker.metrics
      .counter("iot_kafka_bytes_out_total", "record bytes fetched")
      .inc(undefined, result.bytes);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: result.responses,
    };
  },
});

function collect(req: FetchRequest, broker: BrokerContext, denied: ReadonlySet<string>) {
  let budget = req.maxBytes > 0 ? req.maxBytes : 52_428_800;
  let bytes = 0;
  let error = false;
  const responses: Partitions = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const log = broker.logs.partition(t.topic, p.partition);
      const base = {
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE as number,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: [],
        preferredReadReplica: -1,
        records: null as Uint8Array | null,
      };
      if (denied.has(t.topic)) {
        error = true;
        return { ...base, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
      }
      if (!log) {
        error = true;
        return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      }
      const hw = log.highWatermark;
      const marks = { highWatermark: hw, lastStableOffset: hw, logStartOffset: log.logStartOffset };
      if (p.fetchOffset > hw || p.fetchOffset < log.logStartOffset) {
        error = true;
        return { ...base, ...marks, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
      }
      const limit = Math.min(p.partitionMaxBytes, budget);
      if (limit <= 0 && bytes > 0) return { ...base, ...marks };
      const records = log.read(p.fetchOffset, Math.max(limit, 1));
      bytes += records.length;
      budget -= records.length;
      return { ...base, ...marks, records };
    }),
  }));
  return { responses, bytes, error };
}
