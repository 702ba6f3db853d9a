/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * pushes the WAL past 1000 pages — on the one connection the sinks, the lifecycle and the
 * dashboard share — and copies those pages into the database file and fsyncs both: on a busy
 * disk, hundreds of ms during which nothing else in `iot serve` runs (bench/prune.ts measured
 * it: half the lifecycle's step time was such checkpoints). Here a worker thread with its own
 * connection runs a PASSIVE checkpoint every `everyMs`: PASSIVE never takes a lock writers wait
 * for, so commits on the main connection go on while it copies and fsyncs. The main connection
 * keeps a far higher automatic checkpoint (64 MiB): a safety net against a stuck worker, and
 * what starts the WAL over under a steady stream of commits (the log starts over only once a
 * checkpoint found every frame copied, which a worker racing the writers rarely does) — by then
 * the worker has copied nearly all of it, so that checkpoint costs little but its fsyncs. A
 * journal size limit gives the WAL's file its space back after a burst. While nothing is
 * written the worker looks less and less often (up to `idleMs`), and it tells this thread only
 * of progress: an idle `iot serve` is not woken by it. The worker (a whole JavaScript VM and a
 * thread: ~2.6 MB of RSS measured) starts only once there is WAL to copy: until then this
 * thread looks at the WAL file's size and time (a `stat`, no SQL, no lock) every `idleMs`, and
 * starts it for 1 MiB written between two looks or for writes in two looks in a row; what a
 * single small burst leaves it copies itself once nothing more was written (while nobody
 * waits). So an idle server never pays for the worker, and the WAL is still synced within
 * seconds of a write.
 */
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";

/** The main connection's own checkpoint while the worker runs: only if the WAL gets this large. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384; // 64 MiB of 4 KiB pages
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000; // SQLite's default

// A string, not a file: a worker from a Blob URL needs no extra entry point in the compiled binary.
const workerSource = `
import { Database } from "bun:sqlite";
let db, timer, everyMs, idleMs, paused = false, failures = 0, quiet = 0, last = -1, told = 0;
const checkpoint = () => db.query("PRAGMA wal_checkpoint(PASSIVE)").get();
const tick = () => {
  let again = everyMs;
  try {
    const r = checkpoint();
    // told only when it copied more than before: an idle process is not woken four times a second
    if (r.checkpointed > told) postMessage({ log: r.log, checkpointed: (told = r.checkpointed) });
    failures = 0;
    // frames written meanwhile: at them again soon, so the WAL can start over
    if (r.checkpointed < r.log) again = 5;
    // nothing written since the last look: look less often (the WAL grows by nothing meanwhile)
    else if (r.log === last) again = Math.min(idleMs, everyMs * 2 ** Math.min(++quiet, 5));
    else quiet = 0;
    last = r.log;
  } catch (err) {
    if (++failures === 1 || failures % 100 === 0) postMessage({ error: String(err?.message ?? err) });
  }
  timer = setTimeout(tick, again);
};
self.onmessage = (e) => {
  const m = e.data ?? {};
  // a message comes between two ticks, never during one: once "paused" is told, none runs
  if (m.pause) { paused = true; clearTimeout(timer); postMessage({ reply: m.pause }); return; }
  if (m.resume) { if (paused) { paused = false; quiet = 0; timer = setTimeout(tick, everyMs); } return; }
  if (m.checkpoint) {
    const started = performance.now();
    try {
      const r = checkpoint();
      postMessage({ reply: m.checkpoint, log: r.log, checkpointed: r.checkpointed, ms: performance.now() - started });
    } catch (err) {
      postMessage({ reply: m.checkpoint, error: String(err?.message ?? err) });
    }
    return;
  }
  if (m.stop) { clearTimeout(timer); try { db?.close(); } catch {} ; postMessage({ reply: m.stop }); return; }
  if (m.path === undefined) return;
  everyMs = m.everyMs;
  idleMs = m.idleMs;
  db = new Database(m.path);
  db.run("PRAGMA busy_timeout = 1000");
  timer = setTimeout(tick, everyMs);
};
`;

export interface CheckpointerOptions {
  /** between two checkpoints (default 250 ms) */
  everyMs?: number;
  /** between two looks while nothing is written (default 4 s) */
  idleMs?: number;
  /** told the first failure (and every 100th after) of the worker's checkpoint */
  onError?: (message: string) => void;
  /** WAL bytes written between two looks that start the worker (default 1 MiB) */
  startBytes?: number;
}

/**
 * The WAL file's size and last write, by `stat` — never by opening the `-shm` or `-wal`: closing
 * any descriptor of a file drops every POSIX lock this process holds on it, SQLite's included,
 * and a connection that then finds the `-shm` unlocked truncates it under the others' mappings
 * (SIGBUS: reading the wal-index header here crashed `iot serve` under load).
 */
function walState(dbPath: string): { bytes: number; writtenAt: number } {
  try {
    const st = statSync(`${dbPath}-wal`);
    return { bytes: st.size, writtenAt: st.mtimeMs };
  } catch {
    return { bytes: 0, writtenAt: 0 };
  }
}

/** One checkpoint asked for: the WAL's frames, those copied into the file, and how long it took. */
export interface CheckpointDone {
  log: number;
  checkpointed: number;
  ms: number;
}

/** How long a pause or a checkpoint asked for is waited for: a stuck worker holds up no one. */
const REPLY_TIMEOUT_MS = 2000;

export class Checkpointer {
  private worker: Worker | undefined;
  private watch: ReturnType<typeof setTimeout> | undefined;
  private framesCopied = 0;
  private stopped = false;
  private pauses = 0;
  /** between two looks before the worker starts, and the worker's longest wait when idle */
  private readonly idleMs: number;
  private asked = 0;
  private readonly waiting = new Map<number, (reply: Record<string, unknown>) => void>();

  private constructor(
    private readonly sqlite: Database,
    private readonly path: string,
    private readonly o: CheckpointerOptions,
  ) {
    this.idleMs = Math.max(o.everyMs ?? 250, o.idleMs ?? 4000);
    sqlite.run(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    sqlite.run(`PRAGMA journal_size_limit = ${64 * 1024 * 1024}`);
    this.look();
  }

  /**
   * Starts the worker once there is WAL to copy: `startBytes` written since the last look, or
   * writes seen in two looks in a row (a steady trickle, which may never be quiet long enough for
   * the copy below, would otherwise leave its commits unsynced). What a single burst leaves while
   * nothing more is written is copied here: small, and nobody waits then.
   */
  private look(last?: { bytes: number; writtenAt: number }, wroteBefore = false): void {
    if (this.stopped) return;
    const now = walState(this.path);
    const wrote = last !== undefined && now.writtenAt !== last.writtenAt;
    if (wrote && now.bytes - last.bytes >= (this.o.startBytes ?? 1024 * 1024))
      return this.startWorker();
    if (wrote && wroteBefore) return this.startWorker();
    if (!wrote && wroteBefore) {
      try {
        this.sqlite.run("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (err) {
        this.o.onError?.(String((err as Error)?.message ?? err));
      }
    }
    this.watch = setTimeout(() => this.look(now, wrote), this.idleMs);
    // the look must not keep a process alive whose work is done
    (this.watch as unknown as { unref?(): void }).unref?.();
  }

  private startWorker(): void {
    const o = this.o;
    const path = this.path;
    const url = URL.createObjectURL(new Blob([workerSource], { type: "application/javascript" }));
    // `iot serve` created the global `Worker` at start: see src/serve/jit/late-globals.ts
    const worker = (this.worker = new Worker(url));
    worker.onmessage = (e: MessageEvent) => {
      const m = e.data as Record<string, unknown>;
      if (typeof m.reply === "number") this.reply(m.reply, m);
      else if (typeof m.error === "string") o.onError?.(m.error);
      if (typeof m.log === "number" && typeof m.checkpointed === "number") {
        this.framesCopied = Math.max(this.framesCopied, m.checkpointed);
      }
    };
    // the thread must not keep a process alive whose work is done
    (worker as unknown as { unref(): void }).unref();
    worker.postMessage({ path, everyMs: o.everyMs ?? 250, idleMs: this.idleMs });
    // started during a pause (a lifecycle step asked for a checkpoint): paused from the first tick
    if (this.pauses > 0) void this.ask("pause");
  }

  /** Whether the worker runs (it starts once the WAL has something to copy). */
  get workerRunning(): boolean {
    return this.worker !== undefined && !this.stopped;
  }

  /** Starts checkpointing the database file at `path`, which `sqlite` (the writers' connection) has open. */
  static start(sqlite: Database, path: string, o: CheckpointerOptions = {}): Checkpointer {
    return new Checkpointer(sqlite, path, o);
  }

  /** The most WAL frames one of the worker's checkpoints found copied (proof that it runs). */
  largestCheckpoint(): number {
    return this.framesCopied;
  }

  /**
   * Stops the worker's own checkpoints until `resume` (as many times as paused): resolved once
   * none runs any more. The lifecycle pauses them for a pass and asks for each one itself
   * (`checkpoint`), between its steps: a checkpoint's copy and fsyncs running beside a step made
   * that step take ten times as long (bench/prune.ts). Meanwhile the WAL grows by what is not
   * asked for, up to the writers' connection's own checkpoint at 64 MiB.
   */
  async pause(): Promise<void> {
    if (this.stopped || this.pauses++ > 0 || !this.worker) return;
    await this.ask("pause");
  }

  /** Whether the worker's own checkpoints are paused. */
  isPaused(): boolean {
    return this.pauses > 0 && !this.stopped;
  }

  resume(): void {
    if (this.pauses === 0 || --this.pauses > 0 || this.stopped) return;
    this.worker?.postMessage({ resume: true });
  }

  /**
   * One PASSIVE checkpoint now, in the worker (paused or not): the event loop stays free
   * meanwhile. Undefined if it failed, timed out, or the worker is stopped.
   */
  async checkpoint(): Promise<CheckpointDone | undefined> {
    if (this.stopped) return undefined;
    // asked for by a lifecycle pass, which writes: the worker is worth its memory now
    if (!this.worker) {
      clearTimeout(this.watch);
      this.startWorker();
    }
    const r = await this.ask("checkpoint");
    if (!r || typeof r.log !== "number") {
      if (typeof r?.error === "string") this.o.onError?.(r.error);
      return undefined;
    }
    return { log: r.log, checkpointed: r.checkpointed as number, ms: r.ms as number };
  }

  /** Asks the worker to `kind` and waits (a while at most) for its reply. */
  private ask(kind: "pause" | "checkpoint" | "stop"): Promise<Record<string, unknown> | undefined> {
    const key = ++this.asked;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        resolve(undefined);
      }, REPLY_TIMEOUT_MS);
      this.waiting.set(key, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.worker?.postMessage({ [kind]: key });
    });
  }

  private reply(key: number, m: Record<string, unknown>): void {
    const resolve = this.waiting.get(key);
    this.waiting.delete(key);
    resolve?.(m);
  }

  /** Stops the worker; the main connection checkpoints by itself again. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.watch);
    if (this.worker) {
      await this.ask("stop");
      this.worker.terminate();
    }
    for (const resolve of this.waiting.values()) resolve({});
    this.waiting.clear();
    try {
      this.sqlite.run(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    } catch {
      // the store was closed first: nothing left to set
    }
  }
}
