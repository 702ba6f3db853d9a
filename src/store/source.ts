/**
 * The columns naming the Kafka record a row was made from (schema.ts `source`): the sinks'
 * idempotency key.
 */
export interface SourceKey {
  srcTopic: string;
  srcPartition: number;
  srcOffset: number;
  srcEpoch: number;
  srcTimestamp: number;
}
