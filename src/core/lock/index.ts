/**
 * Lock files: a kernel lock (flock) on a file, so a second process is refused at once and a
 * crashed holder's lock is gone with it. An exclusive holder writes its PID and what it is
 * into the file; the refusal names the holders, read from /proc/locks (exact, even before the
 * holder has written) or else from that text.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { flockAvailable, tryFlock, type LockMode } from "./flock.ts";

export type { LockMode } from "./flock.ts";

export interface Holder {
  pid: number;
  /** what the holder wrote about itself, e.g. "iot serve" */
  what?: string;
}

export interface FileLock {
  path: string;
  /** false where the kernel lock was unavailable and only the PID written in the file guards */
  kernel: boolean;
  release(): void;
}

/** The lock is held by another process (or another open of the file in this one). */
export class LockHeld extends Error {
  constructor(
    readonly path: string,
    readonly holders: Holder[],
  ) {
    super(`${path} is locked by ${describeHolders(holders)}`);
  }
}

export function describeHolders(holders: Holder[]): string {
  if (holders.length === 0) return "another process";
  return holders.map((h) => (h.what ? `${h.what} (PID ${h.pid})` : `PID ${h.pid}`)).join(", ");
}

/**
 * Takes the lock on `path` (created 0600 if missing) without waiting, or throws LockHeld.
 * `owner` is written into the file by an exclusive holder.
 */
export function lockFile(path: string, opts: { mode: LockMode; owner: string }): FileLock {
  const fd = openSync(path, "a+", 0o600);
  if (!flockAvailable()) return pidFileLock(fd, path, opts);
  let taken = false;
  try {
    taken = tryFlock(fd, opts.mode);
  } finally {
    if (!taken) closeSync(fd);
  }
  if (!taken) throw new LockHeld(path, holders(path));
  if (opts.mode === "exclusive") writeOwner(fd, opts.owner);
  let open = true;
  return {
    path,
    kernel: true,
    release() {
      if (!open) return;
      open = false;
      if (opts.mode === "exclusive") ftruncateSync(fd, 0);
      closeSync(fd); // the last close of the file drops the flock
    },
  };
}

function writeOwner(fd: number, owner: string): void {
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n${owner}\n`);
}

function readOwner(path: string): Holder | undefined {
  try {
    const [pid, what] = readFileSync(path, "utf8").split("\n");
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, what: what || undefined } : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds a lock on `path`: /proc/locks where there is one, else the PID in the file. */
export function holders(path: string): Holder[] {
  const owner = readOwner(path);
  const pids = lockingPids(path);
  if (pids.length === 0) return owner ? [owner] : [];
  return pids.map((pid) => (owner?.pid === pid ? owner : { pid }));
}

function lockingPids(path: string): number[] {
  let table: string;
  let ino: bigint;
  let dev: string;
  try {
    table = readFileSync("/proc/locks", "utf8");
    const st = statSync(path, { bigint: true });
    ino = st.ino;
    dev = deviceId(st.dev);
  } catch {
    return [];
  }
  const byInode = new Map<number, string>();
  for (const line of table.split("\n")) {
    // "1: FLOCK  ADVISORY  WRITE 9601 fe:00:2148152 0 EOF"; "1: -> FLOCK …" is a waiter
    const m = /^\d+:\s+FLOCK\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+:[0-9a-f]+):(\d+)\s/.exec(line);
    if (m && BigInt(m[3]!) === ino) byInode.set(Number(m[1]), m[2]!);
  }
  const sameDevice = [...byInode].filter(([, d]) => d === dev).map(([pid]) => pid);
  return sameDevice.length > 0 ? sameDevice : [...byInode.keys()];
}

/** st_dev as /proc/locks prints it: major:minor in hex (glibc's encoding of dev_t). */
function deviceId(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, "0")}:${minor.toString(16).padStart(2, "0")}`;
}

/**
 * Where flock cannot be loaded: the PID in the file, trusted while that process lives. Weaker
 * (a reused PID looks alive; two starting at once can both pass), so `kernel` says so.
 */
function pidFileLock(fd: number, path: string, opts: { mode: LockMode; owner: string }): FileLock {
  // sharing cannot be expressed by one PID: a shared holder only checks the file exists
  const exclusive = opts.mode === "exclusive";
  const held = exclusive ? readOwner(path) : undefined;
  if (held && held.pid !== process.pid && alive(held.pid)) {
    closeSync(fd);
    throw new LockHeld(path, [held]);
  }
  if (exclusive) writeOwner(fd, opts.owner);
  let open = true;
  return {
    path,
    kernel: false,
    release() {
      if (!open) return;
      open = false;
      if (exclusive) ftruncateSync(fd, 0);
      closeSync(fd);
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
