/**
 * Which failures mean "the disk refused the write" — full, over quota, or failing — as opposed
 * to a bug: those are a condition to report and retry, never a reason to crash or to ack.
 */
const FS_CODES = new Set(["ENOSPC", "EDQUOT", "EIO", "EROFS"]);
const SQLITE_CODES = new Set(["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY"]);

export function isDiskError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return FS_CODES.has(code) || SQLITE_CODES.has(code) || code.startsWith("SQLITE_IOERR_");
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
