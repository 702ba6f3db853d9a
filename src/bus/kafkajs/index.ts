import type { Kafka } from "kafkajs";
import type { KafkaBus } from "../types.ts";
import { kafkajsConsumer } from "./consumer.ts";
import { kafkajsProducer } from "./producer.ts";

export { wrapKafkajsProducer } from "./producer.ts";

/** The pipeline over kafkajs: TCP to the embedded broker of another process, or any Kafka. */
export function kafkajsBus(kafka: Kafka): KafkaBus {
  return {
    kind: "kafkajs",
    producer: (opts) => kafkajsProducer(kafka, opts),
    consumer: (opts) => kafkajsConsumer(kafka, opts),
  };
}
