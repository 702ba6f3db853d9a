/**
 * A durable queue's files: segments of journal entries (`000000000001.log`, …), read in bounded
 * chunks, and the `head` file that remembers how far the consumer has acknowledged.
 */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { decodeEntries } from "./journal.ts";

/** A place in the queue: segment number, byte offset in it and entries before that offset. */
export interface QueuePosition {
  seq: number;
  offset: number;
  index: number;
}

/** Read size when draining; a larger record is read whole. */
const CHUNK = 1 << 20;

/** Size and record count of a segment, after cutting off a torn or corrupt tail. */
export function scanSegment(path: string): { bytes: number; records: number } {
  const buf = readFileSync(path);
  const { entries, validBytes } = decodeEntries<unknown>(buf);
  if (validBytes < buf.length) {
    const fd = openSync(path, "r+");
    try {
      ftruncateSync(fd, validBytes);
    } finally {
      closeSync(fd);
    }
  }
  return { bytes: validBytes, records: entries.length };
}

/** Up to `max` entries (and `maxBytes`, at least one) from `offset`, and their size. */
export function readEntries(
  path: string,
  offset: number,
  max: number,
  maxBytes = Infinity,
): { entries: unknown[]; bytes: number } {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(8);
    if (readSync(fd, head, 0, 8, offset) < 8) return { entries: [], bytes: 0 };
    const buf = Buffer.alloc(Math.max(CHUNK, 8 + head.readInt32BE(0)));
    const n = readSync(fd, buf, 0, buf.length, offset);
    const entries: unknown[] = [];
    let bytes = 0;
    for (const e of decodeEntries<unknown>(buf.subarray(0, n)).entries) {
      if (entries.length === max || (entries.length > 0 && bytes + e.bytes > maxBytes)) break;
      entries.push(e.entry);
      bytes += e.bytes;
    }
    return { entries, bytes };
  } finally {
    closeSync(fd);
  }
}

export const segmentPath = (dir: string, seq: number) =>
  join(dir, `${String(seq).padStart(12, "0")}.log`);

/** Segment numbers present in `dir`, oldest first. */
export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => /^\d+\.log$/.test(f))
    .map((f) => Number.parseInt(f, 10))
    .sort((a, b) => a - b);
}

export function loadHead(dir: string): QueuePosition {
  try {
    const h = JSON.parse(readFileSync(join(dir, "head"), "utf8")) as QueuePosition;
    if ([h.seq, h.offset, h.index].every(Number.isSafeInteger)) return h;
  } catch {
    // missing: a new spool, which starts at segment 1
  }
  return { seq: 1, offset: 0, index: 0 };
}

/** Atomically, durably: a crash leaves the old head or the new one. */
export function saveHead(dir: string, pos: QueuePosition): void {
  const tmp = join(dir, "head.tmp");
  writeFileSync(tmp, JSON.stringify(pos));
  fsync(tmp, "r+");
  renameSync(tmp, join(dir, "head"));
}

/** Makes a new file's directory entry durable. */
export const syncDir = (dir: string) => fsync(dir, "r");

function fsync(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
