import type { Producer } from "kafkajs";
import type { KafkaRecord } from "./mapping.ts";

/** One `sendBatch` for records of any topics, acknowledged by all in-sync replicas. */
export async function sendRecords(
  producer: Producer,
  records: readonly KafkaRecord[],
  timeoutMs: number,
): Promise<void> {
  const byTopic = new Map<string, KafkaRecord[]>();
  for (const r of records) {
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    list.push(r);
  }
  await producer.sendBatch({
    acks: -1,
    timeout: timeoutMs,
    topicMessages: [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
    })),
  });
}
