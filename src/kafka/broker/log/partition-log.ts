/**
 * One partition's append-only log: a list of segments, the last one active. Offsets are
 * assigned here; batches are stored exactly as received apart from their baseOffset.
 *
 * With `fsync: "always"` appended bytes wait in memory and reach the file in one write as the
 * next sync round begins (or before a read, or past `maxPendingBytes`): nothing is acknowledged
 * before that round's fdatasync, so durability is unchanged, and a steady trickle costs one
 * write per round instead of one per append. Readers see every appended record as before (the
 * log end, not the durable end), always from the file: a read writes what is pending first, and
 * a write the disk refuses leaves those records unseen, to be refused with their round.
 */
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import {
  setBaseOffset,
  setPartitionLeaderEpoch,
  type ScannedBatch,
} from "../../protocol/record-batch.ts";
import type { Logger } from "../../../core/log/index.ts";
import { StorageError } from "../../../core/disk/errors.ts";
import { GroupCommit, type FsyncPolicy } from "./fsync-policy.ts";
import { maxPendingBytes, Segment } from "./segment.ts";

export interface PartitionLogOptions {
  segmentBytes: number;
  indexIntervalBytes: number;
  fsync: FsyncPolicy;
  log: Logger;
  /**
   * The leader epoch stamped on every batch appended (Kafka's partitionLeaderEpoch). Offsets
   * are only unique together with it: after a truncation the same offsets are given again, under
   * a new epoch (`nextEpoch`).
   */
  leaderEpoch?: number;
  /** a new, never used epoch: asked for when an unsynced tail is cut at run time */
  nextEpoch?: () => number;
  /**
   * With `fsync: "always"`: a sync round begins no sooner than this many ms after the previous
   * one, unless a busy log has more waiting (see GroupCommitOptions.gatherMs), for the appends
   * whose `flushed` asks for it; 0: at once.
   */
  fsyncGatherMs?: number;
  /** see GroupCommitOptions.inlineSyncMaxMs (tests raise it: a loaded machine's syncs vary) */
  fsyncInlineMaxMs?: number;
  /**
   * the group commit's sync (default `fs.fdatasync`, `fs.fdatasyncSync` for an `inline` round,
   * see GroupCommitHooks.fdatasync): tests make it fail through here
   */
  fdatasync?: (fd: number, done: (err: unknown) => void, inline?: boolean) => void;
  /**
   * With `fsync: "always"` (default true): appends wait in memory for the next sync round and
   * are written together (see the file's comment); false: each append is written at once.
   */
  writeInRounds?: boolean;
}

/** where the active segment ended at some moment: what a sync round covers */
interface LogMark {
  segment: Segment | null;
  size: number;
  nextOffset: number;
}

export const defaultLogOptions = {
  segmentBytes: 64 << 20,
  indexIntervalBytes: 4096,
  fsync: "always" as FsyncPolicy,
  fsyncGatherMs: 0,
};

export class PartitionLog {
  private segments: Segment[] = [];
  private commit: GroupCommit<LogMark>;
  /**
   * bytes appended since the last sync was asked for (0: nothing to sync): what the next
   * `flushed()` waiter brings to the gather
   */
  private unflushedBytes = 0;
  private closed = false;
  /** the segment files are closed: their descriptor numbers may belong to other files now */
  private released = false;
  /** where the active segment was last known to be on disk, and the sync round in progress */
  private durable: LogMark = { segment: null, size: 0, nextOffset: 0 };
  /** stamped on each appended batch; see PartitionLogOptions.leaderEpoch */
  leaderEpoch: number;
  /** appends wait for the sync round's write (see the file's comment) */
  private readonly deferWrites: boolean;

  private constructor(
    readonly dir: string,
    private readonly opts: PartitionLogOptions,
  ) {
    this.leaderEpoch = opts.leaderEpoch ?? 0;
    this.deferWrites = opts.fsync === "always" && opts.writeInRounds !== false;
    this.commit = new GroupCommit<LogMark>(
      () => this.activeFd(),
      {
        // the round covers what is pending: written now (a refusal fails the round)
        begin: () => {
          if (!this.released) this.active.writePending();
          return this.mark();
        },
        synced: (mark) => {
          if (mark.segment === this.active) this.durable = mark;
        },
        failed: (err) => this.dropUnsynced(err),
        fdatasync: opts.fdatasync,
      },
      { gatherMs: opts.fsyncGatherMs ?? 0, inlineSyncMaxMs: opts.fsyncInlineMaxMs },
    );
  }

  static open(dir: string, opts: PartitionLogOptions): PartitionLog {
    mkdirSync(dir, { recursive: true });
    const log = new PartitionLog(dir, opts);
    const bases = readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    if (bases.length === 0) bases.push(0);
    const clean = takeCleanShutdown(dir);
    bases.forEach((base, i) => {
      const seg = new Segment(dir, base, opts.indexIntervalBytes);
      if (i === bases.length - 1) {
        // closed cleanly, and the file is what was synced then: no scan (start-up stays
        // independent of the segment's size); anything else is checked batch by batch
        if (clean?.base === base && clean.size === seg.size && seg.openTrusted(clean.nextOffset))
          return void log.segments.push(seg);
        const cut = seg.recover();
        if (cut > 0) opts.log.warn("truncated a torn or corrupt log tail", { dir, bytes: cut });
      } else seg.openClosed(bases[i + 1]!);
      log.segments.push(seg);
    });
    log.durable = log.mark();
    return log;
  }

  /** The descriptor a group commit syncs; never one already closed (it may be another file's). */
  private activeFd(): number {
    if (this.released) throw new Error(`partition log ${this.dir} is closed`);
    return this.active.fileDescriptor;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  get logStartOffset(): number {
    return this.segments[0]!.baseOffset;
  }

  /** The log end offset: the offset the next record gets (= high watermark on one node). */
  get highWatermark(): number {
    return this.active.nextOffset;
  }

  /** fdatasync calls made for acknowledged appends */
  get fsyncCount(): number {
    return this.commit.syncs;
  }

  /** of which made inline on the event loop's thread (quiet rounds; see GroupCommit) */
  get inlineFsyncCount(): number {
    return this.commit.inlineSyncs;
  }

  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /**
   * Assigns offsets to validated batches and appends their bytes. All or nothing: when the disk
   * refuses (full, quota, I/O error) it throws a StorageError and the log is as it was — the
   * file cut back to its last good end, offsets and index untouched.
   */
  append(records: Uint8Array, batches: ScannedBatch[]): { baseOffset: number; lastOffset: number } {
    if (this.active.size > 0 && this.active.size + records.length > this.opts.segmentBytes) {
      try {
        this.roll();
      } catch (e) {
        throw e instanceof StorageError ? e : new StorageError(`roll ${this.dir}`, e);
      }
    }
    const seg = this.active;
    const baseOffset = seg.nextOffset;
    const start = seg.size;
    const entries: Array<[number, number]> = [];
    let next = baseOffset;
    for (const b of batches) {
      setBaseOffset(records, b.start, next);
      setPartitionLeaderEpoch(records, b.start, this.leaderEpoch);
      entries.push([next, start + b.start]);
      next += b.lastOffsetDelta + 1;
    }
    if (!this.deferWrites) seg.append(records);
    else if (seg.unwritten + records.length <= maxPendingBytes) seg.appendLater(records);
    else {
      seg.writePending(); // a refusal here changes nothing of this append (throws)
      seg.append(records);
    }
    for (const [offset, position] of entries) seg.index.maybeAdd(offset, position);
    seg.nextOffset = next;
    this.unflushedBytes += records.length;
    return { baseOffset, lastOffset: next - 1 };
  }

  /**
   * Resolves once everything appended so far is on disk (immediately with an interval policy).
   * `gather: true` lets the sync wait for a gather (`fsyncGatherMs`): for callers who batch what
   * comes meanwhile (the in-process producer's); a Kafka client that sends its next request only
   * after this ack would just wait the gather each time.
   */
  flushed({ gather = false }: { gather?: boolean | number } = {}): Promise<void> {
    if (this.opts.fsync !== "always" || this.unflushedBytes === 0) return Promise.resolve();
    const bytes = this.unflushedBytes;
    this.unflushedBytes = 0;
    return this.commit.sync(bytes, { gather });
  }

  private mark(): LogMark {
    const s = this.active;
    return { segment: s, size: s.size, nextOffset: s.nextOffset };
  }

  /**
   * A group commit failed (its write or its fdatasync): what it covered may not be on disk, so
   * it is not kept — the active segment goes back to its last synced end (its waiters, and later
   * ones, get the error).
   */
  private dropUnsynced(err: unknown): void {
    const seg = this.active;
    this.unflushedBytes = 0;
    if (this.released) return;
    if (this.durable.segment !== seg || seg.size === this.durable.size) return;
    this.opts.log.error("write or fsync failed; dropping the unsynced tail", {
      dir: this.dir,
      bytes: seg.size - this.durable.size,
      err,
    });
    // records a reader may have seen are those in the file; pending ones were never read
    const seen = seg.size - seg.unwritten > this.durable.size;
    try {
      seg.truncate(this.durable.size, this.durable.nextOffset);
      // the cut offsets will be given again: to other records, so under another epoch
      if (this.opts.nextEpoch && seen) this.leaderEpoch = this.opts.nextEpoch();
    } catch (e) {
      this.opts.log.error("could not cut the unsynced tail", { dir: this.dir, err: e });
    }
  }

  /** Called by the interval flusher. */
  syncNow(): boolean {
    if (this.unflushedBytes === 0) return false;
    this.unflushedBytes = 0;
    this.active.writePending();
    fdatasyncSync(this.active.fileDescriptor);
    return true;
  }

  /**
   * Puts pending appends in the file before a read: readers see what was appended, and only
   * from the file. A refusal is no reader's error: they see the file's end, and the appends
   * fail with their sync round.
   */
  private writeBeforeRead(): void {
    if (this.active.unwritten === 0 || this.released) return;
    try {
      this.active.writePending();
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
    }
  }

  read(offset: number, maxBytes: number): Uint8Array {
    if (offset >= this.highWatermark || offset < this.logStartOffset) return new Uint8Array(0);
    this.writeBeforeRead();
    let i = this.segments.length - 1;
    while (i > 0 && this.segments[i]!.baseOffset > offset) i--;
    for (; i < this.segments.length; i++) {
      const bytes = this.segments[i]!.read(offset, maxBytes);
      if (bytes.length > 0) return bytes;
    }
    return new Uint8Array(0);
  }

  offsetForTimestamp(ts: number): number | null {
    this.writeBeforeRead();
    for (const seg of this.segments) {
      if (seg.nextOffset === seg.baseOffset) continue;
      if (seg !== this.active && seg.mtimeMs < ts) continue;
      const found = seg.offsetForTimestamp(ts);
      if (found !== null) return found;
    }
    return null;
  }

  /** Deletes whole closed segments older than `maxAgeMs` or beyond `maxBytes` (-1: no limit). */
  enforceRetention(now: number, maxAgeMs: number, maxBytes: number): number {
    let deleted = 0;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const tooOld = maxAgeMs >= 0 && oldest.mtimeMs < now - maxAgeMs;
      const tooBig = maxBytes >= 0 && this.sizeBytes - oldest.size >= maxBytes;
      if (!tooOld && !tooBig) break;
      oldest.delete();
      this.segments.shift();
      deleted++;
    }
    return deleted;
  }

  /**
   * Syncs and closes the files. A group commit still in flight (DeleteTopics during a produce)
   * keeps them open until it returns: a closed descriptor's number is soon reused by another
   * file, which the sync — or cutting an unsynced tail after a failed one — would then hit.
   */
  close(): void {
    if (this.closed) return;
    try {
      this.active.writePending(); // what waits for a gathered round too
      this.syncNow();
      // everything appended is on disk (a commit in flight included): the next open may trust it
      fdatasyncSync(this.active.fileDescriptor);
      writeCleanShutdown(this.dir, this.active);
    } catch (e) {
      this.opts.log.error("fsync at close failed", { dir: this.dir, err: e });
    }
    this.closed = true;
    this.commit.whenIdle(() => {
      this.released = true;
      for (const s of this.segments) s.close();
    });
  }

  private roll(): void {
    const old = this.active;
    old.writePending();
    fdatasyncSync(old.fileDescriptor); // the group commit only ever syncs the active segment
    old.index.closeFile();
    const seg = new Segment(this.dir, old.nextOffset, this.opts.indexIntervalBytes);
    seg.index.reset();
    seg.nextOffset = old.nextOffset;
    this.segments.push(seg);
    this.durable = this.mark();
  }
}

/**
 * The clean-shutdown record: the active segment's base, size and next offset after its last sync
 * at close. Read and removed at open, before any append, so a crash after that start leaves no
 * record and the next open scans again. Were the removal itself lost in a crash, the record
 * would still only match a file of exactly that size — whose bytes up to it are those synced at
 * the close (appends only grow the file; a cut goes back to a synced size).
 */
const CLEAN_SHUTDOWN = "clean-shutdown.json";

interface CleanShutdown {
  base: number;
  size: number;
  nextOffset: number;
}

function writeCleanShutdown(dir: string, active: Segment): void {
  const record: CleanShutdown = {
    base: active.baseOffset,
    size: active.size,
    nextOffset: active.nextOffset,
  };
  const fd = openSync(join(dir, CLEAN_SHUTDOWN), "w");
  try {
    writeSync(fd, JSON.stringify(record));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function takeCleanShutdown(dir: string): CleanShutdown | null {
  const path = join(dir, CLEAN_SHUTDOWN);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null; // first start, or not closed cleanly
  }
  unlinkSync(path);
  try {
    const r = JSON.parse(text) as Partial<CleanShutdown>;
    const whole = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
    return whole(r.base) && whole(r.size) && whole(r.nextOffset) ? (r as CleanShutdown) : null;
  } catch {
    return null; // torn by a crash while it was written: scan
  }
}
