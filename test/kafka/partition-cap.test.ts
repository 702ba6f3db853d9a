/**
 * The broker-wide partition cap through kafkajs: each partition holds two open files and its
 * state in memory, so a client that may create topics cannot create them without end, neither
 * with CreateTopics nor through Metadata's auto-creation.
 */
import { describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { useKafkaBroker } from "../support/kafka.ts";

const env = useKafkaBroker("iot-kcap-", { maxTotalPartitions: 8, defaultPartitions: 2 });
const kafka = () => new Kafka({ brokers: [env.broker.address], logLevel: logLevel.NOTHING });

describe("the broker's total partition cap", () => {
  test("CreateTopics past it is refused with POLICY_VIOLATION; auto-creation stops too", async () => {
    const admin = kafka().admin({ retry: { retries: 0 } });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: "cap-a", numPartitions: 6 }] });
      const refused = await admin
        .createTopics({ topics: [{ topic: "cap-b", numPartitions: 3 }] })
        .then(
          () => null,
          (e: { errors?: Array<{ type: string }> }) => e.errors?.[0]?.type,
        );
      expect(refused).toBe("POLICY_VIOLATION");
      // a producer's Metadata auto-creates with 2 partitions: the first fits (8), the next not
      const producer = kafka().producer({ retry: { retries: 0 } });
      await producer.connect();
      try {
        await producer.send({ topic: "cap-auto-1", messages: [{ value: "fits" }] });
        await expect(
          producer.send({ topic: "cap-auto-2", messages: [{ value: "past the cap" }] }),
        ).rejects.toThrow();
      } finally {
        await producer.disconnect();
      }
      expect((await admin.listTopics()).sort()).toEqual(["cap-a", "cap-auto-1"]);
    } finally {
      await admin.disconnect();
    }
  });
});
