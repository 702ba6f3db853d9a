/**
 * A segment's sparse offset index: one (offset, file position) entry every `interval` bytes of
 * log, kept in memory for binary search and mirrored to `<base>.index` (two int64 per entry) so
 * closed segments reopen without a scan. The file is a cache: rebuilt whenever it disagrees.
 * New entries reach the file in one write when the segment is closed (rolled, or at a stop) or
 * every `writeEvery` entries: after a crash the active segment's index is rebuilt by the scan
 * anyway, so writing each entry at once would cost a write syscall for nothing.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";

/** entries kept in memory before they are written (16 bytes each in the file) */
const writeEvery = 1024;

export class SparseIndex {
  private offsets: number[] = [];
  private positions: number[] = [];
  private lastIndexedPosition = -Infinity;
  private fd: number | null = null;
  /** entries (offset, position pairs) not in the file yet */
  private unwritten: number[] = [];
  /** the file could not be written (disk full): it is removed and rebuilt on the next open */
  private fileDropped = false;

  constructor(
    private readonly path: string,
    private readonly interval: number,
  ) {}

  /** Loads the file; returns false if it is missing or damaged (the caller rebuilds). */
  load(segmentSize: number): boolean {
    let buf: Buffer;
    try {
      buf = readFileSync(this.path);
    } catch {
      return false;
    }
    if (buf.length % 16 !== 0) return false;
    for (let at = 0; at < buf.length; at += 16) {
      const offset = Number(buf.readBigInt64BE(at));
      const position = Number(buf.readBigInt64BE(at + 8));
      const prev = this.positions.length - 1;
      if (position >= segmentSize || (prev >= 0 && position <= this.positions[prev]!)) return false;
      this.push(offset, position);
    }
    return true;
  }

  /** Starts a fresh index file (after a rebuild or for a new segment). */
  reset(): void {
    this.offsets = [];
    this.positions = [];
    this.lastIndexedPosition = -Infinity;
    this.unwritten = [];
    this.closeFile();
    this.fileDropped = false;
    this.fd = openSync(this.path, "w");
  }

  /**
   * Called for every appended batch; records it if far enough from the previous entry. The file
   * gets it when the segment is closed, or with the next `writeEvery` entries.
   */
  maybeAdd(offset: number, position: number): void {
    if (position - this.lastIndexedPosition < this.interval) return;
    this.push(offset, position);
    if (this.fileDropped) return;
    this.unwritten.push(offset, position);
    if (this.unwritten.length >= 2 * writeEvery) this.writePending();
  }

  /** Writes the entries added since the last write. */
  private writePending(): void {
    if (this.unwritten.length === 0) return;
    const entries = Buffer.allocUnsafe(this.unwritten.length * 8);
    this.unwritten.forEach((n, i) => entries.writeBigInt64BE(BigInt(n), i * 8));
    this.unwritten = [];
    try {
      this.fd ??= openSync(this.path, "a");
      let done = 0;
      while (done < entries.length) done += writeSync(this.fd, entries, done);
    } catch {
      this.dropFile(); // only a cache: the log itself decides whether an append succeeded
    }
  }

  /** Forgets entries at or past `size` (the log was cut back); the file is rebuilt on open. */
  truncate(size: number): void {
    let n = this.positions.length;
    while (n > 0 && this.positions[n - 1]! >= size) n--;
    if (n === this.positions.length) return;
    this.offsets.length = n;
    this.positions.length = n;
    this.unwritten = [];
    this.lastIndexedPosition = n > 0 ? this.positions[n - 1]! : -Infinity;
    this.dropFile();
  }

  private dropFile(): void {
    this.unwritten = [];
    this.closeFile();
    this.fileDropped = true;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }

  /** Position of the last indexed batch whose base offset is ≤ `offset` (0 if none). */
  lookup(offset: number): number {
    let lo = 0;
    let hi = this.offsets.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid]! <= offset) {
        found = this.positions[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Writes what is not in the file yet, and closes it. */
  closeFile(): void {
    this.writePending();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private push(offset: number, position: number): void {
    this.offsets.push(offset);
    this.positions.push(position);
    this.lastIndexedPosition = position;
  }
}
