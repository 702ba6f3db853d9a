/**
 * One sink = one consumer group (in-process members of the embedded broker, or kafkajs). Each fetched batch is handed to the sink as a whole
 * (in one transaction of the sink's store, opened here; in-process, the batches of all the
 * partitions a round fetched together), and its offsets are committed only after the sink returns: a crash
 * in between means redelivery, which the sinks absorb (unique source keys). Records the sink
 * cannot use go to the dead-letter topic with the reason — never a crash loop — and so do
 * records larger than `maxRecordBytes` (in reduced form, without reaching the sink). Failures
 * and restarts are told to the watch (`/healthz`, `/metrics`).
 */
import type { BatchContext, ConsumedBatch, KafkaBus, RecordProducer } from "../bus/index.ts";
import { repeatedText } from "../core/codec/repeated-text.ts";
import { OVERSIZED_HEADER } from "../core/kafka/oversized.ts";
import { sendToDeadLetter } from "../contracts/dead-letter.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { ignoreDisk, type DiskReporter } from "../disk/reporter.ts";
import type { StoreEngine, StoreOps } from "../store/engine/index.ts";
import type { SourceKey } from "../store/source.ts";
import { retryOnFullDisk } from "./disk-retry.ts";
import type { ConsumerWatch } from "./watch.ts";

export interface SinkRecord {
  topic: string;
  partition: number;
  offset: number;
  /** the leader epoch of the record's batch (-1 when the batch has none) */
  epoch: number;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: number;
}

export interface Rejected {
  record: SinkRecord;
  reason: string;
}

interface SinkBase {
  name: string;
  topics: string[];
  /** latest: live data only (video); default: everything not yet committed */
  fromBeginning?: boolean;
  /**
   * The group gave this process its partitions (again): state kept in memory for partitions it
   * held may be stale, as another process may have handled them meanwhile. Called before the
   * first batch of the new assignment.
   */
  onAssign?(): void;
}

/** A sink that stores nothing (video): it may take its time. */
export type Sink = SinkBase & {
  handle(records: SinkRecord[]): Rejected[] | Promise<Rejected[]>;
};

/**
 * A sink that writes names its store (src/store/engine/: SQLite or PostgreSQL): the runner opens
 * one transaction for the whole batch on `engine` and hands `handle` its operations (all of the
 * batch is stored, or none and it is fetched again). On SQLite `handle` may await only them.
 */
export type EngineSink = SinkBase & {
  engine: StoreEngine;
  handle(records: SinkRecord[], tx: StoreOps): Promise<Rejected[]>;
};

const isEngineSink = (sink: Sink | EngineSink): sink is EngineSink => "engine" in sink;

export interface RunningSink {
  stop(): Promise<void>;
}

export async function runSink(
  sink: Sink | EngineSink,
  deps: {
    kafka: KafkaBus;
    deadLetters: RecordProducer;
    log: Logger;
    metrics: MetricsRegistry;
    disk?: DiskReporter;
    watch?: ConsumerWatch;
    /** a larger record value is dead-lettered in reduced form; default 8 MiB */
    maxRecordBytes?: number;
  },
): Promise<RunningSink> {
  const maxRecordBytes = deps.maxRecordBytes ?? 8 << 20;
  const tooLarge = (r: SinkRecord) =>
    r.headers[OVERSIZED_HEADER] !== undefined || r.value.length > maxRecordBytes;
  const watch = deps.watch;
  const consumer = deps.kafka.consumer({
    groupId: `iot-${sink.name}`,
    topics: sink.topics,
    fromBeginning: sink.fromBeginning ?? true,
    maxRecordBytes,
    onCrash: (error, restart) =>
      restart ? watch?.restarted(sink.name, "crash", error) : watch?.stopped(sink.name, error),
    // nothing fetched: caught up, which is progress too
    onIdle: () => watch?.progressed(sink.name),
    onAssign: sink.onAssign?.bind(sink),
  });
  const stored = deps.metrics.counter(
    "iot_sink_records_total",
    "records handled by the sinks, by outcome",
  );
  const batches = deps.metrics.counter(
    "iot_sink_batches_total",
    "batches handled by the sinks (a storing sink's transactions)",
  );
  /**
   * One partition's batch (kafkajs), or every partition's batch of a round (in-process): handed
   * to the sink at once, in one transaction of its store. The consumer commits their offsets once
   * this returns; a throw fetches them again.
   */
  const handleBatches = async (fetched: ConsumedBatch[], ctx: BatchContext) => {
    const where = (b: ConsumedBatch) => `${b.topic}/${b.partition}`;
    const behind = (b: ConsumedBatch, next: number) =>
      watch?.lag(sink.name, b.topic, b.partition, b.highWatermark - next);
    for (const b of fetched) behind(b, b.records[0]!.offset);
    try {
      await handleRecords(fetched, ctx);
    } catch (e) {
      // fetched again from the last commit: count it, unless we are stopping
      if (ctx.isRunning() && !isRebalance(e))
        watch?.restarted(sink.name, "batch", e, where(fetched[0]!));
      throw e;
    }
    batches.inc({ sink: sink.name });
    for (const b of fetched) {
      watch?.progressed(sink.name, where(b));
      behind(b, b.records[b.records.length - 1]!.offset + 1);
    }
  };
  await consumer.run((batch, ctx) => handleBatches([batch], ctx), { eachRound: handleBatches });

  async function handleRecords(fetched: ConsumedBatch[], ctx: BatchContext): Promise<void> {
    const { isRunning, heartbeat } = ctx;
    const records: SinkRecord[] = [];
    for (const batch of fetched)
      for (const m of batch.records)
        records.push({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          epoch: m.epoch,
          key: m.key ? keyText(m.key, 0, m.key.length) : null,
          value: m.value ?? empty,
          headers: m.headers,
          timestamp: m.timestamp,
        });
    const fit = records.some(tooLarge) ? records.filter((r) => !tooLarge(r)) : records;
    const rejected = fit.length
      ? await retryOnFullDisk(() => handleInBatch(sink, fit), {
          source: `sqlite:${sink.name}`,
          disk: deps.disk ?? ignoreDisk,
          isRunning,
          heartbeat,
        })
      : [];
    for (const record of fit === records ? [] : records.filter(tooLarge)) {
      const size = record.headers[OVERSIZED_HEADER] ?? String(record.value.length);
      rejected.push({
        record,
        reason: `record too large: value of ${size} bytes, limit ${maxRecordBytes} (--kafka-max-record-bytes)`,
      });
    }
    for (const r of rejected) {
      const { topic, partition, offset } = r.record;
      await sendToDeadLetter(deps.deadLetters, {
        reason: r.reason,
        source: `kafka:${topic}/${partition}@${offset}`,
        key: r.record.key,
        value: r.record.value,
        headers: r.record.headers,
        from: { topic, partition, offset },
      });
      deps.log.info("dead letter", { sink: sink.name, topic, offset, reason: r.reason });
    }
    stored.inc({ sink: sink.name, outcome: "ok" }, records.length - rejected.length);
    if (rejected.length) stored.inc({ sink: sink.name, outcome: "dead-letter" }, rejected.length);
  }
  return { stop: () => consumer.stop() };
}

const empty = Buffer.alloc(0);
/** a record's key is its device's id: the same text as the record before, mostly */
const keyText = repeatedText();

/** One transaction per batch for a sink that stores (a retry after a full disk starts afresh). */
export function handleInBatch(
  sink: Sink | EngineSink,
  records: SinkRecord[],
): Rejected[] | Promise<Rejected[]> {
  if (isEngineSink(sink)) return sink.engine.transaction((tx) => sink.handle(records, tx));
  return sink.handle(records);
}

/**
 * The columns naming a row's Kafka record (src/store/schema.ts `source`): with the epoch and the
 * timestamp, a new record at an offset used before is not taken for a redelivery.
 */
export function sourceOf(r: SinkRecord): SourceKey {
  return {
    srcTopic: r.topic,
    srcPartition: r.partition,
    srcOffset: r.offset,
    srcEpoch: r.epoch,
    srcTimestamp: r.timestamp,
  };
}

/** Runs `parse` on each record; failures become dead letters with the parser's message. */
export function partition<T>(records: SinkRecord[], parse: (r: SinkRecord) => T) {
  const ok: Array<{ record: SinkRecord; value: T }> = [];
  const rejected: Rejected[] = [];
  for (const record of records) {
    try {
      ok.push({ record, value: parse(record) });
    } catch (e) {
      rejected.push({ record, reason: (e as Error).message });
    }
  }
  return { ok, rejected };
}

/** kafkajs's errors when the group rebalances: the batch is redelivered, nothing is wrong */
const rebalanceTypes = new Set([
  "REBALANCE_IN_PROGRESS",
  "ILLEGAL_GENERATION",
  "UNKNOWN_MEMBER_ID",
  "NOT_COORDINATOR_FOR_GROUP",
]);
const isRebalance = (e: unknown) => rebalanceTypes.has(String((e as { type?: string })?.type));
