export { createKafka, type KafkaClientOptions } from "./kafka.ts";
export { topics, seedPartitions } from "./topics.ts";
export { sendToDeadLetter, type DeadLetter } from "./dead-letter.ts";
