/**
 * The in-process producer: records are encoded into one batch per partition and appended to
 * the embedded broker's partition logs by a function call — no socket, no kafkajs — and `send`
 * resolves once the log's fsync policy says they are durable (what acks=-1 waits for).
 */
import { isDiskError, StorageError } from "../../core/disk/errors.ts";
import type { BrokerContext } from "../../kafka/broker/context.ts";
import { ErrorCode } from "../../kafka/protocol/errors.ts";
import { busError } from "../errors.ts";
import type { BusRecord, ProducerOptions, RecordProducer, TopicRecords } from "../types.ts";
import { encodeBatch, type EncodedBatch } from "./batch-codec.ts";
import { createPartitioner } from "./partitioner.ts";
import { ensureTopic } from "./topics.ts";

export function inProcessProducer(
  broker: BrokerContext,
  opts: ProducerOptions = {},
): RecordProducer {
  const gather = opts.fsyncGatherMs ?? true;
  const partitionOf = createPartitioner();
  const messagesIn = broker.metrics.counter("iot_kafka_messages_in_total", "records appended");
  const bytesIn = broker.metrics.counter("iot_kafka_bytes_in_total", "record bytes appended");

  const sendTopics = async (batches: readonly TopicRecords[]): Promise<void> => {
    // every batch is built and checked before any is appended: a refusal appends nothing
    const now = Date.now();
    const planned: Array<{ topic: string; partition: number; batch: EncodedBatch }> = [];
    for (const { topic, records } of batches) {
      if (records.length === 0) continue;
      const partitions = ensureTopic(broker, topic);
      const byPartition = new Map<number, BusRecord[]>();
      for (const r of records) {
        const p = partitionOf(topic, r.key, partitions);
        let list = byPartition.get(p);
        if (!list) byPartition.set(p, (list = []));
        list.push(r);
      }
      for (const [partition, list] of byPartition) {
        const batch = encodeBatch(list, now);
        if (batch.bytes.length > broker.maxMessageBytes) {
          throw busError(
            ErrorCode.MESSAGE_TOO_LARGE,
            `a batch of ${batch.bytes.length} bytes for ${topic} is over the broker's ${broker.maxMessageBytes}`,
          );
        }
        planned.push({ topic, partition, batch });
      }
    }
    const flushes: Promise<void>[] = [];
    let bytes = 0;
    let messages = 0;
    for (const { topic, partition, batch } of planned) {
      const log = broker.logs.partition(topic, partition);
      if (!log) throw busError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no ${topic}/${partition}`);
      try {
        log.append(batch.bytes, [batch.scanned]);
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
        broker.disk.refused("kafka", e);
        throw busError(ErrorCode.KAFKA_STORAGE_ERROR, e.message, e);
      }
      broker.logs.notifyAppend(topic, partition);
      bytes += batch.bytes.length;
      messages += batch.scanned.recordsCount;
      // our callers (the bridge, the collector) batch what comes while they wait: a send may wait
      // for the log's fsync gather, so that a steady trickle shares syncs
      flushes.push(log.flushed({ gather }));
    }
    messagesIn.inc(undefined, messages);
    bytesIn.inc(undefined, bytes);
    const synced = await Promise.allSettled(flushes);
    const failed = synced.find((s) => s.status === "rejected");
    if (failed) {
      // never a success for records whose sync failed (the log dropped them)
      const reason = failed.reason;
      if (isDiskError(reason)) {
        broker.disk.refused("kafka", reason);
        throw busError(ErrorCode.KAFKA_STORAGE_ERROR, String(reason?.message ?? reason), reason);
      }
      broker.log.error("fsync failed", { err: reason });
      throw busError(ErrorCode.UNKNOWN_SERVER_ERROR, "fsync failed", reason);
    }
    if (flushes.length > 0) broker.disk.accepted("kafka");
  };

  return {
    send: (topic, records) => sendTopics([{ topic, records }]),
    sendTopics: (batches) => sendTopics(batches),
    connect: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
