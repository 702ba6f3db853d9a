import type { Kafka, Message, Producer } from "kafkajs";
import type { BusRecord, ProducerOptions, RecordProducer, TopicRecords } from "../types.ts";

/** kafkajs's producer: one `sendBatch` with acks=-1 per call, as iot always sent. */
export function kafkajsProducer(kafka: Kafka, opts: ProducerOptions = {}): RecordProducer {
  return wrapKafkajsProducer(
    kafka.producer(
      opts.retries === undefined ? {} : { retry: { retries: opts.retries, initialRetryTime: 100 } },
    ),
  );
}

/** A kafkajs producer behind the interface (tests hand in one of their own). */
export function wrapKafkajsProducer(producer: Producer): RecordProducer {
  const sendTopics = async (batches: readonly TopicRecords[], timeoutMs?: number) => {
    await producer.sendBatch({
      acks: -1,
      ...(timeoutMs !== undefined && { timeout: timeoutMs }),
      topicMessages: batches.map(({ topic, records }) => ({
        topic,
        messages: records.map(message),
      })),
    });
  };
  return {
    send: (topic, records, o) => sendTopics([{ topic, records }], o?.timeoutMs),
    sendTopics: (batches, o) => sendTopics(batches, o?.timeoutMs),
    connect: () => producer.connect(),
    close: () => producer.disconnect(),
  };
}

const message = (r: BusRecord): Message => ({
  key: r.key,
  value: r.value,
  ...(r.headers && { headers: r.headers }),
});
