/**
 * Committed offsets on disk: an append-only file of records `int32 length, uint32 crc32c,
 * JSON {g, t, p, o, m}`; a negative offset is a tombstone. Loading stops at the first record
 * that is torn or fails its CRC (a crash mid-write), keeping everything before it. When the file
 * has grown well past the live data it is compacted on the next start (temp file + rename).
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { appendAll } from "../../../core/disk/append.ts";
import { decodeEntries, encodeEntry } from "../../../core/queue/journal.ts";
import { GroupCommit } from "../log/fsync-policy.ts";
import { MemoryOffsetStore, type CommitOptions, type CommittedOffset } from "./offset-store.ts";

interface Row {
  g: string;
  t: string;
  p: number;
  o: number;
  m: string | null;
}

export class FileOffsetStore extends MemoryOffsetStore {
  private readonly path: string;
  private fd: number;
  private size = 0;
  private readonly commits: GroupCommit;

  constructor(dir: string) {
    super();
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, "offsets.log");
    const existing = existsSync(this.path) ? readFileSync(this.path) : Buffer.alloc(0);
    const valid = this.load(existing);
    const live = this.encodeAll();
    // A torn tail is cut; a file mostly made of superseded commits is compacted.
    if (valid < existing.length || existing.length > 4 * live.length + (1 << 20)) {
      this.rewrite(live);
    }
    this.fd = openSync(this.path, "a");
    this.size = fstatSync(this.fd).size;
    this.commits = new GroupCommit(() => this.fd);
  }

  /**
   * Written (all or nothing: a full disk throws a StorageError) before it is applied; fsynced
   * unless `sync: false` (offset-store.ts).
   */
  override async commit(
    groupId: string,
    entries: CommittedOffset[],
    opts: CommitOptions = {},
  ): Promise<void> {
    this.write(
      entries.map((e) => ({ g: groupId, t: e.topic, p: e.partition, o: e.offset, m: e.metadata })),
    );
    this.apply(groupId, entries);
    if (opts.sync !== false) await this.commits.sync();
  }

  /** fdatasync calls made (how tests see which commits waited for one) */
  get syncs(): number {
    return this.commits.syncs;
  }

  override async deleteTopic(topic: string): Promise<void> {
    const rows: Row[] = [];
    for (const [g, gone] of this.dropTopic(topic)) {
      for (const o of gone) rows.push({ g, t: o.topic, p: o.partition, o: -1, m: null });
    }
    if (rows.length === 0) return;
    this.write(rows);
    await this.commits.sync();
  }

  override close(): void {
    // commits written without a sync reach the disk by a clean stop at the latest
    try {
      fdatasyncSync(this.fd);
    } catch {
      // a failing disk: nothing more to do about it here (they are handled again at most)
    }
    closeSync(this.fd);
  }

  private write(rows: Row[]): void {
    const buf = Buffer.concat(rows.map(encodeRow));
    appendAll(this.fd, buf, this.size, `commit offsets to ${this.path}`);
    this.size += buf.length;
  }

  /** Applies every intact record; returns the number of bytes that were valid. */
  private load(buf: Buffer): number {
    const { entries, validBytes } = decodeEntries<Row>(buf);
    for (const { entry: row } of entries) {
      this.apply(row.g, [{ topic: row.t, partition: row.p, offset: row.o, metadata: row.m }]);
    }
    return validBytes;
  }

  private encodeAll(): Buffer {
    const rows: Buffer[] = [];
    for (const g of this.groups()) {
      for (const o of this.list(g))
        rows.push(encodeRow({ g, t: o.topic, p: o.partition, o: o.offset, m: o.metadata }));
    }
    return Buffer.concat(rows);
  }

  private rewrite(live: Buffer): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w");
    writeSync(fd, live);
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
  }
}

function encodeRow(row: Row): Buffer {
  return encodeEntry(row);
}
