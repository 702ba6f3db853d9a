/**
 * The data dir: created private to its owner (0700), too-open modes fixed at start, and
 * claimed with kernel locks so that one process owns it. A problem is one DataDirError line
 * naming the path and the reason.
 *
 * Who may run beside whom on one data dir:
 * - `iot.lock` (exclusive): the owner — `iot serve` running the embedded brokers (role all or
 *   brokers: Kafka logs, offsets, bridge spool), `iot device` (outbox), `iot migrate`.
 * - `iot.db.lock` (shared by every `iot serve` and `iot token`, exclusive for `iot migrate`):
 *   serve's other roles (consumers, collector) and `iot token` share the SQLite store through
 *   WAL beside the owner; `iot migrate` changes the schema, so it runs alone.
 * - a future `iot backup` reads a consistent copy (SQLite backup API, sealed log segments)
 *   beside a running serve, so it takes the shared store lock only.
 */
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Logger } from "../log/index.ts";
import {
  describeHolders,
  LockHeld,
  lockFile,
  type FileLock,
  type LockMode,
} from "../lock/index.ts";

/** A data dir that cannot be used, in one line a person can act on. */
export class DataDirError extends Error {}

export interface Claim {
  /** how the process names itself to the one it refuses: "iot serve", "iot device", … */
  command: string;
  /** take `iot.lock`: this process owns the data dir */
  owner: boolean;
  /** take `iot.db.lock` in this mode */
  store?: LockMode;
}

export interface DataDir {
  /** absolute path */
  path: string;
  release(): void;
}

export const OWNER_LOCK = "iot.lock";
export const STORE_LOCK = "iot.db.lock";

/** Creates (0700) or checks the data dir, makes it private, and takes the claim's locks. */
export function openDataDir(dir: string, claim: Claim, log?: Logger): DataDir {
  const path = resolve(dir);
  prepareDir(path, log);
  const held: FileLock[] = [];
  const release = () =>
    held
      .splice(0)
      .reverse()
      .forEach((l) => l.release());
  try {
    if (claim.owner) held.push(take(path, OWNER_LOCK, "exclusive", claim.command));
    if (claim.store) held.push(take(path, STORE_LOCK, claim.store, claim.command));
  } catch (e) {
    release();
    throw e;
  }
  if (held.some((l) => !l.kernel))
    log?.warn("no kernel file locks here: the data dir is guarded by the PID in iot.lock only", {
      dataDir: path,
    });
  return { path, release };
}

/** mkdir -p with mode 0700; an existing dir open to group or others is made 0700. */
export function prepareDir(path: string, log?: Logger): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new DataDirError(`data dir ${path}: cannot create it (${reason(e)})`);
  }
  let mode: number;
  try {
    const st = statSync(path);
    if (!st.isDirectory()) throw new DataDirError(`data dir ${path} is not a directory`);
    mode = st.mode & 0o777;
  } catch (e) {
    if (e instanceof DataDirError) throw e;
    throw new DataDirError(`data dir ${path}: cannot read it (${reason(e)})`);
  }
  if ((mode & 0o077) === 0) return;
  const was = mode.toString(8).padStart(4, "0");
  try {
    chmodSync(path, 0o700);
    log?.warn(`data dir was ${was}, open to other users; made it 0700`, { dataDir: path });
  } catch (e) {
    log?.warn(`data dir is ${was}, open to other users, and could not be made 0700`, {
      dataDir: path,
      reason: reason(e),
    });
  }
}

function take(dir: string, name: string, mode: LockMode, command: string): FileLock {
  try {
    return lockFile(join(dir, name), { mode, owner: command });
  } catch (e) {
    if (e instanceof LockHeld)
      throw new DataDirError(
        `data dir ${dir} is in use by ${describeHolders(e.holders)}; stop it first or give another --data-dir`,
      );
    throw new DataDirError(`data dir ${dir} is not writable (${reason(e)})`);
  }
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${errnoText[err.code] ?? err.message}` : String(err.message ?? e);
}

const errnoText: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is not a directory",
  ENOSPC: "no space left on device",
  EEXIST: "a file is in the way",
  ENOENT: "no such file or directory",
};
