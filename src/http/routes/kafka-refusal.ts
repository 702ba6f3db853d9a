import { isKafkaStorageError } from "../../core/disk/errors.ts";

/**
 * Why Kafka did not take a record, for a 503 body: a broker whose disk refuses writes
 * (KAFKA_STORAGE_ERROR, 56) is said so plainly — and is not logged once per request.
 */
export function kafkaRefusal(e: unknown): { message: string; storage: boolean } {
  if (isKafkaStorageError(e)) {
    return {
      message: "Kafka refuses writes: its disk is full or failing; retry later",
      storage: true,
    };
  }
  return { message: `Kafka unavailable: ${(e as Error).message}`, storage: false };
}
