import type { Kafka } from "kafkajs";
import type { Bus } from "../types.ts";
import { kafkajsConsumer } from "./consumer.ts";
import { kafkajsProducer } from "./producer.ts";

/** The pipeline over kafkajs: TCP to the embedded broker of another process, or any Kafka. */
export function kafkajsBus(kafka: Kafka): Bus {
  return {
    kind: "kafkajs",
    producer: (opts) => kafkajsProducer(kafka, opts),
    consumer: (opts) => kafkajsConsumer(kafka, opts),
  };
}
