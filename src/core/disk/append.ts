/**
 * Appends that are all-or-nothing: a write the disk refuses part way (ENOSPC after some pages)
 * is cut back to where the file ended, so the next append does not follow a torn fragment.
 */
import { fsyncSync, ftruncateSync, writeSync } from "node:fs";
import { StorageError } from "./errors.ts";

/** Writes every byte of `bytes` at the end of `fd` (which ends at `sizeBefore`), or none. */
export function appendAll(fd: number, bytes: Uint8Array, sizeBefore: number, what: string): void {
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch (e) {
    try {
      ftruncateSync(fd, sizeBefore); // a no-op when nothing was written
    } catch (t) {
      throw new StorageError(`${what}: could not cut a partial write back`, t);
    }
    throw new StorageError(what, e);
  }
}

/** `appendAll`, then fsync; a failed fsync cuts the bytes back too (they are not durable). */
export function appendDurably(
  fd: number,
  bytes: Uint8Array,
  sizeBefore: number,
  what: string,
): void {
  appendAll(fd, bytes, sizeBefore, what);
  try {
    fsyncSync(fd);
  } catch (e) {
    try {
      ftruncateSync(fd, sizeBefore);
    } catch {
      // the error below says what matters
    }
    throw new StorageError(`${what} (fsync)`, e);
  }
}
