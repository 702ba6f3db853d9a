export { LogManager, type LogManagerOptions } from "./log-manager.ts";
export { PartitionLog, type PartitionLogOptions } from "./partition-log.ts";
export { TopicError, topicNameError } from "./topic-name.ts";
export type { FsyncPolicy } from "./fsync-policy.ts";
