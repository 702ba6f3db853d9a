/**
 * Why Kafka did not take a record, for a 503 body: a broker whose disk refuses writes
 * (KAFKA_STORAGE_ERROR, 56) is said so plainly — and is not logged once per request.
 */
export function kafkaRefusal(e: unknown): { message: string; storage: boolean } {
  if (hasStorageError(e)) {
    return {
      message: "Kafka refuses writes: its disk is full or failing; retry later",
      storage: true,
    };
  }
  return { message: `Kafka unavailable: ${(e as Error).message}`, storage: false };
}

function hasStorageError(e: unknown, depth = 0): boolean {
  const err = e as { type?: unknown; code?: unknown; cause?: unknown } | null;
  if (err?.type === "KAFKA_STORAGE_ERROR" || err?.code === 56) return true;
  return depth < 4 && err?.cause !== undefined && hasStorageError(err.cause, depth + 1);
}
