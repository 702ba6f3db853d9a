/**
 * `iot backup` and `iot restore`. A backup is a directory:
 *
 *   <dir>/iot.db          the database as of one instant (SQLite `VACUUM INTO`: a read
 *                         transaction, so a running serve keeps writing), image paths made
 *                         relative ("images/<device>/<file>")
 *   <dir>/images/…        the image files those rows name, and only those
 *   <dir>/manifest.json   what it is, when, from where, and what it holds
 *
 * A directory, not an archive: it can be checked with plain tools (sqlite3, ls), copied with
 * rsync (unchanged images are not sent again), and packed with `tar` by whoever wants one file;
 * writing a tar here would need a dependency for no gain. It is written under a temporary name
 * and renamed when complete, so a directory with a manifest is a whole backup.
 * The Kafka logs are not in it: they hold only records on their way to the database.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { localImagePath } from "../lifecycle/images.ts";
import { vacuumInto, withDatabaseFile } from "../store/backup.ts";

export const MANIFEST = "manifest.json";
const FORMAT = "iot-backup";
const TABLES = [
  "readings",
  "room_readings",
  "rollups",
  "images",
  "alerts",
  "entrance_events",
  "bins",
];

export interface Manifest {
  format: typeof FORMAT;
  version: 1;
  created_at: string;
  iot_version: string;
  data_dir: string;
  rows: Record<string, number>;
  images: { files: number; bytes: number; missing: number };
}

/** A backup or restore that cannot be done, in one line a person can act on. */
export class BackupError extends Error {}

/**
 * Copies the data dir's database and images into `target` (which must not exist, or be an
 * empty directory). The caller holds the data dir's store lock in shared mode.
 */
export function createBackup(dataDir: string, target: string, iotVersion: string): Manifest {
  const source = join(dataDir, "iot.db");
  if (!existsSync(source)) throw new BackupError(`no database in ${dataDir} (${source})`);
  const dest = resolve(target);
  if (existsSync(dest) && (!statSync(dest).isDirectory() || readdirSync(dest).length > 0))
    throw new BackupError(`${dest} already exists and is not an empty directory`);
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    vacuumInto(source, join(partial, "iot.db"));
    const manifest = withDatabaseFile(join(partial, "iot.db"), (copy): Manifest => {
      const images = { files: 0, bytes: 0, missing: 0 };
      copy.mapImagePaths((path) => copyImage(dataDir, path, partial, images));
      const check = copy.quickCheck();
      if (check !== "ok") throw new BackupError(`the copy fails its check: ${check}`);
      return {
        format: FORMAT,
        version: 1,
        created_at: new Date().toISOString(),
        iot_version: iotVersion,
        data_dir: resolve(dataDir),
        rows: copy.rowCounts(TABLES),
        images,
      };
    });
    writeFileSync(join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + "\n", {
      mode: 0o600,
    });
    if (existsSync(dest)) rmSync(dest, { recursive: true });
    renameSync(partial, dest);
    return manifest;
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}

/** Copies an image row's file into the backup; its path there, relative ("images/<device>/<file>"). */
function copyImage(dataDir: string, path: string, dest: string, out: Manifest["images"]): string {
  const root = resolve(dataDir);
  const from = localImagePath(root, path);
  const rel = from.slice(root.length + 1);
  try {
    mkdirSync(dirname(join(dest, rel)), { recursive: true, mode: 0o700 });
    copyFileSync(from, join(dest, rel));
    out.files++;
    out.bytes += statSync(from).size;
  } catch (e) {
    // pruned since the snapshot, or lost before it: the row stays, as it was in the store
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    out.missing++;
  }
  return rel;
}

export function readManifest(backup: string): Manifest {
  const path = join(resolve(backup), MANIFEST);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new BackupError(
      `${backup} is not an iot backup (cannot read ${MANIFEST}: ${(e as Error).message})`,
    );
  }
  if (m.format !== FORMAT || m.version !== 1)
    throw new BackupError(`${backup} is not an iot backup this version can read (${MANIFEST})`);
  if (!existsSync(join(backup, "iot.db"))) throw new BackupError(`${backup} has no iot.db`);
  return m;
}

/**
 * Restores a backup into a data dir that has no database yet. The caller holds the data dir
 * exclusively (no serve, no token running). The database goes into place last, so a restore
 * stopped half-way leaves no database and can be run again.
 */
export function restoreBackup(backup: string, dataDir: string): Manifest {
  const manifest = readManifest(backup);
  const db = join(dataDir, "iot.db");
  if (existsSync(db) && statSync(db).size > 0)
    throw new BackupError(
      `${dataDir} already has a database: restore into an empty data dir (or move its iot.db and images/ away first)`,
    );
  const incoming = join(dataDir, "iot.db.restoring");
  rmSync(incoming, { force: true });
  copyFileSync(join(backup, "iot.db"), incoming);
  const root = resolve(dataDir);
  withDatabaseFile(incoming, (copy) => {
    copy.mapImagePaths((path) => {
      // relative in a backup; an absolute one (made by hand) keeps its device folder and file
      const to = localImagePath(root, isAbsolute(path) ? path : join(root, path));
      const from = join(backup, to.slice(root.length + 1));
      if (existsSync(from)) {
        mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
        copyFileSync(from, to);
      }
      return to;
    });
    copy.walMode();
  });
  for (const leftover of ["iot.db-wal", "iot.db-shm"])
    rmSync(join(dataDir, leftover), { force: true });
  renameSync(incoming, db);
  return manifest;
}
