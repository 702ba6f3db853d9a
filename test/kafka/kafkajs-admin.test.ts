/**
 * The rest of the API surface through kafkajs: DeleteTopics, DescribeGroups, ListGroups,
 * InitProducerId (idempotent producer), SASL/PLAIN on a broker that requires it.
 */
import { describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { startKafkaBroker } from "../../src/kafka/broker/index.ts";
import { useKafkaBroker } from "../support/kafka.ts";
import { waitFor } from "../support/wait.ts";

const env = useKafkaBroker("iot-kadmin-");
const kafka = () => new Kafka({ brokers: [env.broker.address], logLevel: logLevel.NOTHING });

describe("kafkajs admin, continued", () => {
  test("deleteTopics removes a topic and its data", async () => {
    const admin = kafka().admin({ retry: { retries: 0 } });
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: "doomed", numPartitions: 1 }] });
    await admin.deleteTopics({ topics: ["doomed"] });
    expect(await admin.listTopics()).not.toContain("doomed");
    await expect(admin.deleteTopics({ topics: ["never-was"], timeout: 500 })).rejects.toThrow();
    await admin.disconnect();
  });

  test("describeGroups and listGroups show a running consumer group", async () => {
    const k = kafka();
    const consumer = k.consumer({ groupId: "described", maxWaitTimeInMs: 100 });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic: "desc-t", fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
    await waitFor(() => joined);
    const admin = k.admin();
    await admin.connect();
    const { groups } = await admin.describeGroups(["described"]);
    expect(groups[0]).toMatchObject({
      groupId: "described",
      state: "Stable",
      protocolType: "consumer",
      protocol: "RoundRobinAssigner",
    });
    expect(groups[0]!.members).toHaveLength(1);
    expect((await admin.listGroups()).groups).toContainEqual({
      groupId: "described",
      protocolType: "consumer",
    });
    await consumer.disconnect();
    await admin.disconnect();
  });

  test("an idempotent producer gets a producer id and its records land", async () => {
    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const [r] = await producer.send({
      topic: "idem-t",
      acks: -1,
      messages: [{ partition: 0, value: "once" }],
    });
    expect(r!.errorCode).toBe(0);
    await producer.disconnect();
    expect(env.broker.logs.partition("idem-t", 0)!.highWatermark).toBe(1);
  });
});

describe("SASL/PLAIN", () => {
  test("a protected broker admits the right credentials and refuses others", async () => {
    const secure = await startKafkaBroker({
      host: "127.0.0.1",
      port: 0,
      dataDir: env.dirs.make(),
      requireAuth: true,
      authenticate: (u, p) => u === "pi-1" && p === "s3cret",
    });
    const client = (password: string) =>
      new Kafka({
        brokers: [secure.address],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        sasl: { mechanism: "plain", username: "pi-1", password },
      });
    try {
      const good = client("s3cret").producer();
      await good.connect();
      await good.send({ topic: "sasl-t", acks: -1, messages: [{ value: "ok" }] });
      await good.disconnect();
      const bad = client("wrong").producer();
      await expect(bad.connect()).rejects.toThrow(/SASL|authentication/i);
      const none = new Kafka({
        brokers: [secure.address],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).producer();
      await none.connect(); // kafkajs only asks ApiVersions here, which is allowed before SASL
      await expect(none.send({ topic: "sasl-t", messages: [{ value: "no" }] })).rejects.toThrow();
      expect(
        secure.logs.partition("sasl-t", 0)!.highWatermark +
          secure.logs.partition("sasl-t", 1)!.highWatermark,
      ).toBe(1);
    } finally {
      await secure.stop();
    }
  });
});
