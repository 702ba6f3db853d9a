export type * from "./types.ts";
export { BusError, isRejection, isTooLarge } from "./errors.ts";
export { kafkajsBus, wrapKafkajsProducer } from "./kafkajs/index.ts";
export { inProcessBus } from "./in-process/index.ts";
export { batchingProducer, type BatchingOptions } from "./batching-producer.ts";
