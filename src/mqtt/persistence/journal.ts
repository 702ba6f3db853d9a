/**
 * The broker's durable state on disk: generations of `<n>.snap` (the whole state when generation
 * n began, written to a temp file, fsynced, then renamed) and `<n>.log` (every change since).
 * Loading takes the newest complete snapshot and replays the logs from its generation on, so a
 * crash in the middle of writing a snapshot loses nothing. Entries are framed with a CRC
 * (src/journal), so a torn tail from a kill -9 is dropped, not misread.
 *
 * Appends are group-committed: the entries of one turn of the event loop are written together,
 * and one fdatasync covers every durable entry among them.
 */
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { decodeEntries, encodeEntry } from "../../core/queue/journal.ts";

const datasync = promisify(fdatasync);

export interface Loaded<T> {
  entries: T[];
  generation: number;
}

/** The state as last written: the newest whole snapshot, then the logs since. */
export function loadJournal<T>(dir: string): Loaded<T> {
  mkdirSync(dir, { recursive: true });
  const snaps: number[] = [];
  const logs: number[] = [];
  for (const f of readdirSync(dir)) {
    const m = /^(\d+)\.(snap|log)$/.exec(f);
    if (m) (m[2] === "snap" ? snaps : logs).push(Number(m[1]));
  }
  const base = snaps.length ? Math.max(...snaps) : 0;
  const entries: T[] = [];
  const read = (file: string) => {
    for (const e of decodeEntries<T>(readFileSync(join(dir, file))).entries) entries.push(e.entry);
  };
  if (snaps.length) read(`${base}.snap`);
  for (const g of logs.filter((g) => g >= base).sort((a, b) => a - b)) read(`${g}.log`);
  return { entries, generation: Math.max(base, ...logs, 0) };
}

export class Journal {
  private fd = -1;
  private pending: Buffer[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  /** flushes and rotations, one at a time */
  private tail: Promise<void> = Promise.resolve();
  /** bytes in the current generation's log */
  logBytes = 0;
  /** bytes of the current generation's snapshot */
  snapshotBytes = 0;
  rotating = false;

  constructor(
    private dir: string,
    private generation: number,
  ) {}

  /** Queues an entry; with `durable`, resolves once it is on disk (fdatasync). */
  append(entry: unknown, durable: true): Promise<void>;
  append(entry: unknown, durable?: false): void;
  append(entry: unknown, durable = false): Promise<void> | void {
    this.pending.push(encodeEntry(entry));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.tail = this.tail.then(() => this.flush());
      });
    }
    if (durable)
      return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Starts the next generation: later appends go to its log, and `state` (the whole state as
   * of now, captured by the caller in this same tick) becomes its snapshot.
   */
  rotate(state: unknown[]): Promise<void> {
    this.rotating = true;
    // Switched in this tick, so every entry appended before the capture lands in the old log
    // and every one after it in the new one, whatever flushes are still queued.
    const oldFd = this.fd;
    const waiters = this.write() ?? [];
    const g = ++this.generation;
    this.fd = openSync(join(this.dir, `${g}.log`), "a");
    this.logBytes = 0;
    const run = async () => {
      if (oldFd >= 0) {
        try {
          if (waiters.length) await datasync(oldFd);
          for (const w of waiters) w.resolve();
        } catch (e) {
          for (const w of waiters) w.reject(e);
        }
        closeSync(oldFd);
      }
      this.snapshotBytes = await this.writeSnapshot(g, state);
      for (const f of readdirSync(this.dir)) {
        const m = /^(\d+)\.(snap|log)(\.tmp)?$/.exec(f);
        if (m && Number(m[1]) < g) rmSync(join(this.dir, f), { force: true });
      }
    };
    const done = this.tail.then(run).finally(() => void (this.rotating = false));
    this.tail = done.catch(() => {});
    return done;
  }

  async close(): Promise<void> {
    await this.tail;
    this.flushNow(true);
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private async flush(): Promise<void> {
    const waiters = this.write();
    if (!waiters) return;
    try {
      if (waiters.length) await datasync(this.fd);
      for (const w of waiters) w.resolve();
    } catch (e) {
      for (const w of waiters) w.reject(e);
    }
  }

  private flushNow(sync: boolean): void {
    const waiters = this.write();
    if (!waiters) return;
    try {
      if (sync && waiters.length) fdatasyncSync(this.fd);
      for (const w of waiters) w.resolve();
    } catch (e) {
      for (const w of waiters) w.reject(e);
    }
  }

  /** Writes what is pending; returns the waiters it covers (null: nothing written, or failed). */
  private write(): Array<{ resolve: () => void; reject: (e: unknown) => void }> | null {
    if (!this.pending.length) return null;
    const buf = Buffer.concat(this.pending.splice(0));
    const waiters = this.waiters.splice(0);
    try {
      if (this.fd < 0) throw new Error("mqtt state journal is not open");
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off);
      this.logBytes += buf.length;
      return waiters;
    } catch (e) {
      // a half-written entry would hide every later one from the next load: cut it off
      try {
        if (this.fd >= 0) ftruncateSync(this.fd, this.logBytes);
      } catch {}
      for (const w of waiters) w.reject(e);
      return null;
    }
  }

  private async writeSnapshot(g: number, state: unknown[]): Promise<number> {
    const tmp = join(this.dir, `${g}.snap.tmp`);
    const file = await open(tmp, "w");
    let bytes = 0;
    try {
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      for (const entry of state) {
        const b = encodeEntry(entry);
        chunk.push(b);
        chunkBytes += b.length;
        if (chunkBytes >= 1 << 20) {
          await file.write(Buffer.concat(chunk));
          bytes += chunkBytes;
          chunk = [];
          chunkBytes = 0;
        }
      }
      await file.write(Buffer.concat(chunk));
      bytes += chunkBytes;
      await file.datasync();
    } finally {
      await file.close();
    }
    renameSync(tmp, join(this.dir, `${g}.snap`));
    const dirFd = openSync(this.dir, "r");
    try {
      fdatasyncSync(dirFd);
    } catch {
    } finally {
      closeSync(dirFd);
    }
    return bytes;
  }
}
