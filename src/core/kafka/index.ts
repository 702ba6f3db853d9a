export { createKafka, type KafkaClientOptions } from "./kafka.ts";
export { topics, seedPartitions } from "./topics.ts";
export { defaultRecordLimits, type RecordLimits } from "./bounded-gzip.ts";
export { OVERSIZED_HEADER, PREFIX_BYTES } from "./oversized.ts";
