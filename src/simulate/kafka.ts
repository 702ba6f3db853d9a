/**
 * A Kafka producer as the seeds' kafka-python producers are (acks=-1 here: the simulator wants
 * to know), with SASL/PLAIN when a Kafka token is given.
 */
import type { Producer } from "kafkajs";
import { createKafka } from "../core/kafka/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { SimulateOptions } from "./options.ts";

export async function connectProducer(o: SimulateOptions, log: Logger): Promise<Producer> {
  const kafka = createKafka({
    brokers: o.kafka,
    clientId: "iot-simulate",
    log: log.child("kafkajs"),
    sasl: o.kafkaAuth ?? undefined,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  try {
    await producer.connect();
  } catch (e) {
    const hint = /SASL|auth/i.test((e as Error).message)
      ? " (give --kafka-user/--kafka-token)"
      : "";
    throw new Error(`cannot connect to Kafka ${o.kafka.join(",")}: ${(e as Error).message}${hint}`);
  }
  return producer;
}
