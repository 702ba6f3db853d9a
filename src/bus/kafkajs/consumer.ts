import type { Kafka, KafkaMessage } from "kafkajs";
import type { ConsumedRecord, EachBatch, GroupConsumer, GroupConsumerOptions } from "../types.ts";

/**
 * A kafkajs consumer group member: eachBatch without auto-resolve, the batch's last offset
 * resolved and committed after the handler returned, then a heartbeat.
 */
export function kafkajsConsumer(kafka: Kafka, opts: GroupConsumerOptions): GroupConsumer {
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    // the broker answers a waiting fetch as soon as a record lands, so this only sets how often
    // an idle consumer asks again (and how long a stop waits for the fetch in progress)
    maxWaitTimeInMs: 500,
    heartbeatInterval: 1000,
  });
  if (opts.onCrash) {
    const onCrash = opts.onCrash;
    consumer.on(consumer.events.CRASH, ({ payload }) => onCrash(payload.error, payload.restart));
  }
  if (opts.onAssign) {
    const onAssign = opts.onAssign;
    // emitted by kafkajs after join and sync, before anything of the new generation is fetched
    consumer.on(consumer.events.GROUP_JOIN, () => onAssign());
  }
  if (opts.onIdle) {
    const onIdle = opts.onIdle;
    consumer.on(consumer.events.FETCH, ({ payload }) => {
      if (payload.numberOfBatches === 0) onIdle();
    });
  }
  return {
    async run(eachBatch: EachBatch) {
      await consumer.connect();
      await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning });
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async ({
          batch,
          resolveOffset,
          heartbeat,
          commitOffsetsIfNecessary,
          isRunning,
        }) => {
          if (batch.messages.length === 0) return opts.onIdle?.();
          await eachBatch(
            {
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: Number(batch.highWatermark),
              records: batch.messages.map(consumed),
            },
            { isRunning, heartbeat },
          );
          resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
        },
      });
    },
    stop: () => consumer.disconnect(),
  };
}

function consumed(m: KafkaMessage): ConsumedRecord {
  return {
    offset: Number(m.offset),
    epoch: leaderEpochOf(m),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
    timestamp: Number(m.timestamp),
  };
}

/** kafkajs keeps the batch header beside each message, untyped. */
function leaderEpochOf(m: object): number {
  const epoch = (m as { batchContext?: { partitionLeaderEpoch?: number } }).batchContext
    ?.partitionLeaderEpoch;
  return typeof epoch === "number" ? epoch : -1;
}
