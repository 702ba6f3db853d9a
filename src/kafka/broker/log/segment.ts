/**
 * One log segment: `<20-digit base offset>.log` holding whole record batches back to back, and
 * its sparse index. Reads are positional (`pread`), never whole-file.
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

export class Segment {
  readonly logPath: string;
  size = 0;
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
    this.size = fstatSync(this.fd).size;
    this.nextOffset = baseOffset;
  }

  get mtimeMs(): number {
    return statSync(this.logPath).mtimeMs;
  }

  /** All of `bytes` or nothing: a refused write is cut back (throws a StorageError). */
  append(bytes: Uint8Array): void {
    appendAll(this.fd, bytes, this.size, `append to ${this.logPath}`);
    this.size += bytes.length;
  }

  /** Back to `size` bytes (a group commit failed: what was not synced is dropped). */
  truncate(size: number, nextOffset: number): void {
    ftruncateSync(this.fd, size);
    this.size = size;
    this.nextOffset = nextOffset;
    this.index.truncate(size);
  }

  get fileDescriptor(): number {
    return this.fd;
  }

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
      this.size = pos;
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
    while (pos < this.size) {
      let buf = this.readAt(pos, Math.min(window, this.size - pos));
      let at = 0;
      // skip batches that end before the requested offset
      while (at + BATCH.HEADER_SIZE <= buf.length) {
        const h = readBatchHeader(buf, at);
        if (h.baseOffset + h.lastOffsetDelta >= offset) break;
        at += BATCH.LOG_OVERHEAD + h.batchLength;
      }
      if (at + BATCH.HEADER_SIZE > buf.length) {
        if (pos + at >= this.size) return new Uint8Array(0);
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
    while (pos + BATCH.HEADER_SIZE <= this.size) {
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
