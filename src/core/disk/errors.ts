/**
 * Which failures mean "the disk refused the write" — full, over quota, or failing — as opposed
 * to a bug: those are a condition to report and retry, never a reason to crash or to ack.
 */
const FS_CODES = new Set(["ENOSPC", "EDQUOT", "EIO", "EROFS"]);
const SQLITE_CODES = new Set(["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY"]);

export function isDiskError(e: unknown, depth = 0): boolean {
  const err = e as { code?: unknown; cause?: unknown } | null;
  const code = err?.code;
  if (typeof code === "string") {
    if (FS_CODES.has(code) || SQLITE_CODES.has(code) || code.startsWith("SQLITE_IOERR_"))
      return true;
  }
  // wrapped (a query builder's error, a StorageError): look at what it wraps
  return depth < 4 && err?.cause !== undefined && isDiskError(err.cause, depth + 1);
}

/** A write refused by the disk, carrying the original error's code for the logs. */
export class StorageError extends Error {
  readonly code: string;
  constructor(what: string, cause: unknown) {
    const code = String((cause as { code?: unknown })?.code ?? "EIO");
    super(`${what}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "StorageError";
    this.code = code;
  }
}

/** kafkajs's message for KAFKA_STORAGE_ERROR (56): what its log lines carry of the error */
const KAFKA_STORAGE_ERROR_TEXT = "Disk error when trying to access log file on the disk";

/**
 * A Kafka broker refusing a write because its disk is full or failing (KAFKA_STORAGE_ERROR,
 * 56): a kafkajs error (by type or code, or wrapping one), or a kafkajs log line's text.
 */
export function isKafkaStorageError(e: unknown, depth = 0): boolean {
  if (typeof e === "string") return e.includes(KAFKA_STORAGE_ERROR_TEXT);
  const err = e as { type?: unknown; code?: unknown; cause?: unknown } | null;
  if (err?.type === "KAFKA_STORAGE_ERROR" || err?.code === 56) return true;
  return depth < 4 && err?.cause !== undefined && isKafkaStorageError(err.cause, depth + 1);
}
