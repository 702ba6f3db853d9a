/** ensureTopic on the real embedded broker: the partition count, created as auto-create would. */
import { expect, test } from "bun:test";
import { useKafkaBroker } from "../../../test/support/kafka.ts";
import { ensureTopic } from "./topics.ts";

const env = useKafkaBroker("iot-in-process-topics-");

test("a new topic is created with the broker's default partitions; an existing one keeps its own", () => {
  const broker = env.broker.context;
  expect(ensureTopic(broker, "topics-new")).toBe(broker.defaultPartitions);
  broker.logs.createTopic("topics-five", 5);
  expect(ensureTopic(broker, "topics-five")).toBe(5);
  expect(ensureTopic(broker, "topics-new")).toBe(broker.defaultPartitions);
});

test("a send does not list every topic to find its own (garbage on every send)", () => {
  const broker = env.broker.context;
  for (let i = 0; i < 20; i++) ensureTopic(broker, `topics-many-${i}`);
  const real = broker.logs.topics.bind(broker.logs);
  let listed = 0;
  broker.logs.topics = () => {
    listed++;
    return real();
  };
  try {
    expect(ensureTopic(broker, "topics-many-7")).toBe(broker.defaultPartitions);
    expect(listed).toBe(0);
  } finally {
    broker.logs.topics = real;
  }
});
