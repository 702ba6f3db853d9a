import type { BrokerContext } from "../../kafka/broker/context.ts";
import type { KafkaBus } from "../types.ts";
import { inProcessConsumer, type InProcessConsumerTuning } from "./consumer.ts";
import { inProcessProducer } from "./producer.ts";

/** The pipeline by function calls into the embedded broker running in this process. */
export function inProcessBus(
  broker: BrokerContext,
  tuning: InProcessConsumerTuning = {},
): KafkaBus {
  return {
    kind: "in-process",
    producer: (opts) => inProcessProducer(broker, opts),
    consumer: (opts) => inProcessConsumer(broker, opts, tuning),
  };
}
