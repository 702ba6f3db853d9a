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
