import { Kafka, logLevel } from "kafkajs";

export interface ReadRecord {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning with a kafkajs consumer (a fresh group each call) until
 * `count` records arrived, then a little longer so duplicates would show too.
 */
export async function readTopic(
  address: string,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  const kafka = new Kafka({
    brokers: [address],
    clientId: "test-reader",
    logLevel: logLevel.NOTHING,
  });
  // short fetch waits: disconnect waits for the fetch in progress
  const consumer = kafka.consumer({
    groupId: `reader-${crypto.randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  const out: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        out.push({
          key: message.key?.toString() ?? null,
          value: message.value!,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
          partition,
          offset: message.offset,
        });
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (out.length < count && Date.now() < deadline) await Bun.sleep(20);
    await Bun.sleep(300);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
