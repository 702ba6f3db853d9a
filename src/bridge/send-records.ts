import type { RecordProducer } from "../bus/index.ts";
import type { KafkaRecord } from "./mapping.ts";

/** One send for records of any topics, resolved once they are durable (acks=-1). */
export async function sendRecords(
  producer: RecordProducer,
  records: readonly KafkaRecord[],
  timeoutMs: number,
): Promise<void> {
  const byTopic = new Map<string, KafkaRecord[]>();
  for (const r of records) {
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    list.push(r);
  }
  await producer.sendTopics(
    [...byTopic].map(([topic, list]) => ({ topic, records: list })),
    { timeoutMs },
  );
}
