/**
 * The change relay over Kafka, topic `iot-changes`.
 *
 * Why Kafka and not PostgreSQL LISTEN/NOTIFY: every iot process already has a Kafka client and
 * a broker (embedded or a site's cluster), whichever store it uses — the relay works the same
 * with SQLite and PostgreSQL, and needs no connection held open per listener on the database.
 *
 * One partition (a handful of small records a second at most); keyed by kind and created
 * `compact,delete` with a short retention, so a real cluster keeps about one record per kind
 * (the embedded broker does not compact: it keeps them for --kafka-retention-hours). Each process
 * reads from the end in a group of its own that never commits: there is no history to replay.
 */
import { randomUUID } from "node:crypto";
import type { Consumer, Kafka, Producer } from "kafkajs";
import { topics } from "../../core/kafka/topics.ts";
import type { Logger } from "../../core/log/index.ts";
import { decodeChange, encodeChange, type Change } from "./codec.ts";
import type { ChangeTransport } from "./relay.ts";

export const changesTopic = topics.changes;

export async function kafkaChangeTransport(kafka: Kafka, log: Logger): Promise<ChangeTransport> {
  await createChangesTopic(kafka, log);
  let producer: Producer | null = null;
  let consumer: Consumer | null = null;
  return {
    async send(changes: Change[]) {
      if (!producer) {
        const p = kafka.producer();
        await p.connect();
        producer = p;
      }
      await producer.send({ topic: changesTopic, acks: 1, messages: changes.map(encodeChange) });
    },
    async tail(onChange) {
      const c = kafka.consumer({
        // a group of its own: every process sees every change; nothing is committed
        groupId: `iot-changes-${randomUUID()}`,
        // the broker answers a waiting fetch as soon as a record lands
        maxWaitTimeInMs: 500,
        heartbeatInterval: 1000,
      });
      consumer = c;
      await c.connect();
      await c.subscribe({ topic: changesTopic, fromBeginning: false });
      await c.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          const change = decodeChange(message.key, message.value);
          // not iot's: ignored rather than dead-lettered (each process would send it once)
          if (change) onChange(change);
        },
      });
    },
    async stop() {
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}

async function createChangesTopic(kafka: Kafka, log: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: changesTopic,
          numPartitions: 1,
          configEntries: [
            { name: "cleanup.policy", value: "compact,delete" },
            { name: "retention.ms", value: String(3600_000) },
          ],
        },
      ],
    });
  } catch (e) {
    // created meanwhile by another process, or not allowed: the producer creates it if need be
    log.debug("iot-changes not created", { err: e });
  } finally {
    await admin.disconnect();
  }
}
