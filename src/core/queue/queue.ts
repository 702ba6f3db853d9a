/**
 * A durable FIFO on disk: items are kept in arrival order until their consumer acknowledges
 * them. Append-only segment files of journal entries (`int32 length, uint32 crc32c, JSON`),
 * fsynced before `append` returns; a torn tail (crash mid-append) fails its CRC and is cut off
 * on open. A small `head` file remembers how far the consumer has acknowledged, so a restart
 * does not hand out drained items again. Bounded: past `maxBytes` whole oldest segments are
 * dropped, and counted. The bridge's spool and the device's outbox are two of these, each with
 * its own item type and codec.
 */
import { closeSync, mkdirSync, openSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { appendDurably } from "../disk/append.ts";
import { encodeEntry } from "./journal.ts";
import {
  listSegments,
  loadHead,
  readEntries,
  saveHead,
  scanSegment,
  segmentPath,
  syncDir,
  type QueuePosition,
} from "./files.ts";

export type { QueuePosition } from "./files.ts";

/** How an item is stored: to and from a JSON value (binary as base64). */
export interface QueueCodec<T> {
  encode(item: T): unknown;
  /** throws on an entry it cannot read (a CRC-valid entry of a foreign shape) */
  decode(stored: unknown): T;
}

interface Segment {
  seq: number;
  bytes: number;
  records: number;
}

export class DurableQueue<T> {
  readonly dir: string;
  private segments: Segment[] = [];
  /** the oldest unacknowledged record: an offset in `segments[0]`, and how many precede it */
  private head = { offset: 0, records: 0 };
  private fd = -1;
  private readonly segmentBytes: number;
  /** items dropped at the size bound since this queue was opened */
  dropped = 0;

  constructor(
    /** the queue's own folder */
    dir: string,
    private readonly maxBytes: number,
    private readonly codec: QueueCodec<T>,
    /** default an eighth of maxBytes, at most 16 MiB */
    segmentBytes?: number,
  ) {
    this.dir = dir;
    this.segmentBytes = segmentBytes ?? Math.max(1, Math.min(16 << 20, Math.floor(maxBytes / 8)));
    mkdirSync(this.dir, { recursive: true });
    this.open();
  }

  get length(): number {
    let n = -this.head.records;
    for (const s of this.segments) n += s.records;
    return n;
  }

  get bytes(): number {
    let n = -this.head.offset;
    for (const s of this.segments) n += s.bytes;
    return n;
  }

  /**
   * Durable (fsynced) when it returns; says where the items went. All or nothing: when the
   * disk refuses, the segment is cut back and a StorageError thrown (nobody may be acked).
   */
  append(items: readonly T[]): { start: QueuePosition; end: QueuePosition } {
    if (this.segments.at(-1)!.bytes >= this.segmentBytes) this.roll();
    const buf = Buffer.concat(items.map((item) => encodeEntry(this.codec.encode(item))));
    const tail = this.segments.at(-1)!;
    appendDurably(this.fd, buf, tail.bytes, `queue ${this.segmentPath(tail.seq)}`);
    const last = this.segments.at(-1)!;
    const start = { seq: last.seq, offset: last.bytes, index: last.records };
    last.bytes += buf.length;
    last.records += items.length;
    this.enforceBound();
    return { start, end: { seq: last.seq, offset: last.bytes, index: last.records } };
  }

  /** Is `pos` the oldest record still waiting? */
  isHead(pos: QueuePosition): boolean {
    if (pos.seq === this.segments[0]!.seq) return pos.offset === this.head.offset;
    // the head sits at the very end of a segment whose successor starts at `pos`
    return this.headAtSegmentEnd() && this.segments[1]?.seq === pos.seq && pos.offset === 0;
  }

  private headAtSegmentEnd(): boolean {
    return this.head.offset >= this.segments[0]!.bytes;
  }

  /** Up to `max` oldest items (and about `maxBytes`), and the position after them (for `ack`). */
  peek(max: number, maxBytes = Infinity): { items: T[]; end: QueuePosition } {
    const first = this.segments[0]!;
    if (this.head.offset >= first.bytes && this.segments.length > 1) this.advanceHead();
    const seg = this.segments[0]!;
    const { entries, bytes } = readEntries(
      this.segmentPath(seg.seq),
      this.head.offset,
      max,
      maxBytes,
    );
    return {
      items: entries.map((e) => this.codec.decode(e)),
      end: {
        seq: seg.seq,
        offset: this.head.offset + bytes,
        index: this.head.records + entries.length,
      },
    };
  }

  /** The consumer acknowledged everything before `end`; a no-op when the bound already dropped it. */
  ack(end: QueuePosition): void {
    if (this.segments.length > 1 && end.seq === this.segments[1]!.seq && this.headAtSegmentEnd()) {
      this.advanceHead(false);
    }
    const seg = this.segments[0]!;
    if (end.seq !== seg.seq || end.offset <= this.head.offset) return;
    this.head = { offset: end.offset, records: end.index };
    if (this.length === 0) this.reset();
    else if (this.head.offset >= seg.bytes && this.segments.length > 1) this.advanceHead();
    else this.saveHead();
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private open(): void {
    const head = loadHead(this.dir);
    for (const seq of listSegments(this.dir)) {
      if (seq < head.seq) {
        unlinkSync(this.segmentPath(seq)); // fully acknowledged before a crash
        continue;
      }
      this.segments.push({ seq, ...scanSegment(this.segmentPath(seq)) }); // cuts a torn tail
    }
    const first = this.segments[0];
    this.head =
      first && first.seq === head.seq && head.offset <= first.bytes
        ? { offset: head.offset, records: Math.min(head.index, first.records) }
        : { offset: 0, records: 0 };
    if (this.segments.length === 0) this.segments.push({ seq: head.seq, bytes: 0, records: 0 });
    this.fd = openSync(this.segmentPath(this.segments.at(-1)!.seq), "a");
    this.saveHead();
  }

  /** Past the bound, whole oldest segments go (never the one being appended to). */
  private enforceBound(): void {
    let changed = false;
    while (this.bytes > this.maxBytes && this.segments.length > 1) {
      this.dropped += this.segments[0]!.records - this.head.records;
      this.advanceHead(false);
      changed = true;
    }
    if (changed) this.saveHead();
  }

  private advanceHead(save = true): void {
    const gone = this.segments.shift()!;
    unlinkSync(this.segmentPath(gone.seq));
    this.head = { offset: 0, records: 0 };
    if (save) this.saveHead();
  }

  private roll(): void {
    const seq = this.segments.at(-1)!.seq + 1;
    closeSync(this.fd);
    this.fd = openSync(this.segmentPath(seq), "a");
    this.segments.push({ seq, bytes: 0, records: 0 });
    syncDir(this.dir);
  }

  /** Empty again: start a fresh segment so the disk space comes back. */
  private reset(): void {
    const seq = this.segments.at(-1)!.seq + 1;
    closeSync(this.fd);
    for (const s of this.segments) unlinkSync(this.segmentPath(s.seq));
    this.segments = [{ seq, bytes: 0, records: 0 }];
    this.head = { offset: 0, records: 0 };
    this.fd = openSync(this.segmentPath(seq), "a");
    this.saveHead();
  }

  private saveHead(): void {
    saveHead(this.dir, {
      seq: this.segments[0]!.seq,
      offset: this.head.offset,
      index: this.head.records,
    });
  }

  private segmentPath(seq: number): string {
    return segmentPath(this.dir, seq);
  }
}
