import { ErrorCode } from "../../kafka/protocol/errors.ts";
import type { BrokerContext } from "../../kafka/broker/context.ts";
import { TopicError } from "../../kafka/broker/log/index.ts";
import { busError } from "../errors.ts";

/**
 * The topic's partition count, creating it as a kafkajs client's Metadata request would
 * (auto-create on, the broker's default partition count).
 */
export function ensureTopic(broker: BrokerContext, topic: string): number {
  if (!broker.logs.hasTopic(topic)) {
    if (!broker.autoCreateTopics)
      throw busError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no topic '${topic}'`);
    try {
      broker.logs.createTopic(topic, broker.defaultPartitions);
    } catch (e) {
      if (!(e instanceof TopicError)) throw e;
      if (e.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) throw busError(e.errorCode, e.message, e);
    }
  }
  return broker.logs.topics().find((t) => t.name === topic)!.partitions;
}
