/**
 * One sink = one kafkajs consumer group. Each fetched batch is handed to the sink as a whole
 * (one SQLite transaction), and its offsets are committed only after the sink returns: a crash
 * in between means redelivery, which the sinks absorb (unique source keys). Records the sink
 * cannot use go to the dead-letter topic with the reason — never a crash loop.
 */
import type { Kafka, Producer } from "kafkajs";
import { sendToDeadLetter } from "../kafka/client/index.ts";
import type { Logger } from "../log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { ignoreDisk, type DiskReporter } from "../disk/reporter.ts";
import { retryOnFullDisk } from "./disk-retry.ts";

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

export interface Sink {
  name: string;
  topics: string[];
  /** latest: live data only (video); default: everything not yet committed */
  fromBeginning?: boolean;
  handle(records: SinkRecord[]): Rejected[] | Promise<Rejected[]>;
}

export interface RunningSink {
  stop(): Promise<void>;
}

export async function runSink(
  sink: Sink,
  deps: {
    kafka: Kafka;
    deadLetters: Producer;
    log: Logger;
    metrics: MetricsRegistry;
    disk?: DiskReporter;
  },
): Promise<RunningSink> {
  const consumer = deps.kafka.consumer({
    groupId: `iot-${sink.name}`,
    // the broker answers a waiting fetch as soon as a record lands, so this only sets how often
    // an idle consumer asks again (and how long a stop waits for the fetch in progress)
    maxWaitTimeInMs: 500,
    heartbeatInterval: 1000,
  });
  const stored = deps.metrics.counter(
    "iot_sink_records_total",
    "records handled by the sinks, by outcome",
  );
  await consumer.connect();
  await consumer.subscribe({ topics: sink.topics, fromBeginning: sink.fromBeginning ?? true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning }) => {
      const records: SinkRecord[] = batch.messages.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: Number(m.offset),
        epoch: leaderEpochOf(m),
        key: m.key ? m.key.toString("utf8") : null,
        value: m.value ?? Buffer.alloc(0),
        headers: Object.fromEntries(
          Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)]),
        ),
        timestamp: Number(m.timestamp),
      }));
      if (records.length === 0) return;
      const rejected = await retryOnFullDisk(() => sink.handle(records), {
        source: `sqlite:${sink.name}`,
        disk: deps.disk ?? ignoreDisk,
        isRunning,
        heartbeat,
      });
      for (const r of rejected) {
        await sendToDeadLetter(deps.deadLetters, {
          reason: r.reason,
          source: `kafka:${r.record.topic}/${r.record.partition}@${r.record.offset}`,
          key: r.record.key,
          value: r.record.value,
        });
        deps.log.info("dead letter", {
          sink: sink.name,
          topic: r.record.topic,
          offset: r.record.offset,
          reason: r.reason,
        });
      }
      stored.inc({ sink: sink.name, outcome: "ok" }, records.length - rejected.length);
      if (rejected.length) stored.inc({ sink: sink.name, outcome: "dead-letter" }, rejected.length);
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
  return { stop: () => consumer.disconnect() };
}

/** kafkajs keeps the batch header beside each message, untyped. */
function leaderEpochOf(m: object): number {
  const epoch = (m as { batchContext?: { partitionLeaderEpoch?: number } }).batchContext
    ?.partitionLeaderEpoch;
  return typeof epoch === "number" ? epoch : -1;
}

/**
 * The columns naming a row's Kafka record (src/store/schema.ts `source`): with the epoch and the
 * timestamp, a new record at an offset used before is not taken for a redelivery.
 */
export function sourceOf(r: SinkRecord) {
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
