/**
 * One log segment: `<20-digit base offset>.log` holding whole record batches back to back, and
 * its sparse index. Reads are positional (`pread`), never whole-file.
 *
 * Appends may wait in memory (`appendLater`) until `writePending` puts all of them in the file
 * with one write: the partition log does it as a sync round begins, so a thousand appends a
 * second cost one write per fsync, not one each. Reads only ever see the file: the partition
 * log writes what is pending before it reads.
 */
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import { BATCH, readBatchHeader } from "../../protocol/record-batch.ts";
import { crc32c } from "../../../core/checksum/crc32c.ts";
import { appendAll } from "../../../core/disk/append.ts";
import { SparseIndex } from "./sparse-index.ts";

export const segmentName = (base: number) => String(base).padStart(20, "0");

export interface ReadResult {
  /** whole batches, possibly starting before the requested offset */
  bytes: Uint8Array;
}

/** pending bytes past this are written at once (bounds the memory a segment holds) */
export const maxPendingBytes = 1 << 20;
/**
 * a pending buffer up to this size is kept for the next round (a steady trickle allocates
 * nothing); a larger one, grown by a burst, is let go once written: with many partitions, each
 * keeps at most this much
 */
const keptPendingBytes = 16 << 10;

export class Segment {
  readonly logPath: string;
  /** the bytes in the file (reads stop here) */
  private fileSize = 0;
  /** appended, not yet written: `pendingLength` bytes at the start of `pending` */
  private pending: Buffer | null = null;
  private pendingLength = 0;
  /** what the last write of pending bytes wrote: a new buffer starts that big (one allocation) */
  private lastPendingWrite = 0;
  /** offset after the last batch in this segment */
  nextOffset: number;
  readonly index: SparseIndex;
  private fd: number;

  constructor(
    dir: string,
    readonly baseOffset: number,
    indexInterval: number,
  ) {
    this.logPath = join(dir, `${segmentName(baseOffset)}.log`);
    this.index = new SparseIndex(join(dir, `${segmentName(baseOffset)}.index`), indexInterval);
    this.fd = openSync(this.logPath, "a+");
    this.fileSize = fstatSync(this.fd).size;
    this.nextOffset = baseOffset;
  }

  /** where the next append goes: the bytes in the file and those pending after them */
  get size(): number {
    return this.fileSize + this.pendingLength;
  }

  /** bytes appended and not written yet */
  get unwritten(): number {
    return this.pendingLength;
  }

  get mtimeMs(): number {
    return statSync(this.logPath).mtimeMs;
  }

  /** All of `bytes` or nothing: a refused write is cut back (throws a StorageError). */
  append(bytes: Uint8Array): void {
    this.writePending(); // in order (nothing is pending when appends are not deferred)
    appendAll(this.fd, bytes, this.fileSize, `append to ${this.logPath}`);
    this.fileSize += bytes.length;
  }

  /**
   * Keeps `bytes` (copied: the caller's buffer may be reused) for the next `writePending`; never
   * fails. Past `maxPendingBytes` waiting the caller writes them at once.
   */
  appendLater(bytes: Uint8Array): void {
    const need = this.pendingLength + bytes.length;
    if (!this.pending || this.pending.length < need) {
      const size = this.pending
        ? Math.max(need, 2 * this.pending.length)
        : Math.max(need, Math.min(this.lastPendingWrite, maxPendingBytes), 4 << 10);
      const grown = Buffer.allocUnsafe(size);
      if (this.pending) this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLength);
    this.pendingLength = need;
  }

  /**
   * Writes what `appendLater` kept, in one write.
   * All or nothing: a refused write is cut back, the bytes stay pending (throws a StorageError).
   */
  writePending(): void {
    if (this.pendingLength > 0) {
      const bytes = this.pending!.subarray(0, this.pendingLength);
      appendAll(this.fd, bytes, this.fileSize, `append to ${this.logPath}`);
      this.fileSize += this.pendingLength;
      this.lastPendingWrite = this.pendingLength;
      this.pendingLength = 0;
      if (this.pending!.length > keptPendingBytes) this.pending = null;
    }
  }

  /** Back to `size` bytes (a group commit failed: what was not synced is dropped). */
  truncate(size: number, nextOffset: number): void {
    if (size < this.fileSize) {
      ftruncateSync(this.fd, size);
      this.fileSize = size;
      this.pendingLength = 0;
    } else this.pendingLength = size - this.fileSize;
    this.nextOffset = nextOffset;
    this.index.truncate(size);
  }

  get fileDescriptor(): number {
    return this.fd;
  }

  /** `length` bytes of the file from `position` (fewer at its end); never pending bytes */
  readAt(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  }

  /**
   * Validates every batch (bounds, magic, CRC, offsets in sequence) and cuts the file at the
   * first bad byte: a torn write from a crash or a corrupt tail is dropped, never served.
   * Returns the number of bytes cut.
   */
  recover(): number {
    this.index.reset();
    let pos = 0;
    let expected = this.baseOffset;
    const chunkSize = 8 << 20;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (pos + BATCH.HEADER_SIZE <= this.size) {
      if (pos + BATCH.HEADER_SIZE > chunkStart + chunk.length) {
        chunkStart = pos;
        chunk = this.readAt(pos, Math.min(chunkSize, this.size - pos));
      }
      const h = readBatchHeader(chunk, pos - chunkStart);
      const len = BATCH.LOG_OVERHEAD + h.batchLength;
      if (h.batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD || pos + len > this.size) break;
      if (h.magic !== 2 || h.baseOffset !== expected || h.lastOffsetDelta < 0) break;
      if (pos + len > chunkStart + chunk.length) {
        chunkStart = pos;
        chunk = this.readAt(pos, Math.max(len, Math.min(chunkSize, this.size - pos)));
      }
      const rel = pos - chunkStart;
      if (crc32c(chunk, rel + BATCH.ATTRIBUTES, rel + len) !== h.crc) break;
      this.index.maybeAdd(h.baseOffset, pos);
      expected = h.baseOffset + h.lastOffsetDelta + 1;
      pos += len;
    }
    const cut = this.size - pos;
    if (cut > 0) {
      ftruncateSync(this.fd, pos);
      this.fileSize = pos;
    }
    this.nextOffset = expected;
    return cut;
  }

  /**
   * The active segment after a clean shutdown: its index file is loaded instead of scanning the
   * log; false (nothing trusted) if the index is missing or damaged.
   */
  openTrusted(nextOffset: number): boolean {
    if (!this.index.load(this.size)) return false;
    this.nextOffset = nextOffset;
    return true;
  }

  /** For a closed segment: trust the index file, or rebuild it; `nextOffset` is set by the caller. */
  openClosed(nextOffset: number): void {
    if (!this.index.load(this.size)) this.recover();
    this.nextOffset = nextOffset;
  }

  /** Whole batches from the one containing `offset`, up to `maxBytes` (at least one batch). */
  read(offset: number, maxBytes: number): Uint8Array {
    let pos = this.index.lookup(offset);
    const window = Math.max(Math.min(maxBytes, 8 << 20), 64 << 10);
    while (pos < this.fileSize) {
      let buf = this.readAt(pos, Math.min(window, this.fileSize - pos));
      let at = 0;
      // skip batches that end before the requested offset
      while (at + BATCH.HEADER_SIZE <= buf.length) {
        const h = readBatchHeader(buf, at);
        if (h.baseOffset + h.lastOffsetDelta >= offset) break;
        at += BATCH.LOG_OVERHEAD + h.batchLength;
      }
      if (at + BATCH.HEADER_SIZE > buf.length) {
        if (pos + at >= this.fileSize) return new Uint8Array(0);
        pos += at;
        continue;
      }
      const first = readBatchHeader(buf, at);
      const firstLen = BATCH.LOG_OVERHEAD + first.batchLength;
      if (at + firstLen > buf.length) {
        // the first batch alone is larger than the window: return it whole (KIP-74)
        return this.readAt(pos + at, firstLen);
      }
      let end = at + firstLen;
      while (end + BATCH.HEADER_SIZE <= buf.length) {
        const len = BATCH.LOG_OVERHEAD + readBatchHeader(buf, end).batchLength;
        if (end + len > buf.length || end + len - at > maxBytes) break;
        end += len;
      }
      return buf.subarray(at, end);
    }
    return new Uint8Array(0);
  }

  /** First batch (whole) whose max timestamp is ≥ ts, as its base offset; null if none. */
  offsetForTimestamp(ts: number): number | null {
    let pos = 0;
    while (pos + BATCH.HEADER_SIZE <= this.fileSize) {
      const h = readBatchHeader(this.readAt(pos, BATCH.HEADER_SIZE), 0);
      if (h.maxTimestamp >= ts) return h.baseOffset;
      pos += BATCH.LOG_OVERHEAD + h.batchLength;
    }
    return null;
  }

  close(): void {
    this.index.closeFile();
    closeSync(this.fd);
  }

  delete(): void {
    this.close();
    unlinkSync(this.logPath);
    try {
      unlinkSync(this.logPath.replace(/\.log$/, ".index"));
    } catch {
      // no index file
    }
  }
}
