import { createBackup, BackupError } from "../backup/index.ts";
import { ConfigError, defineOptions } from "../core/config/index.ts";
import { openDataDir } from "../core/datadir/index.ts";
import { databaseUrlOption, dataDirOption } from "../serve/options.ts";
import { version } from "../version.ts";
import { defineCommand } from "./command.ts";

const backupOptions = defineOptions({
  dataDir: dataDirOption,
  databaseUrl: {
    ...databaseUrlOption,
    help: "the store is PostgreSQL: refused, back it up with pg_dump (docs/DEPLOY.md)",
  },
});

/** A PostgreSQL store is backed up by PostgreSQL's own tools, which do it consistently. */
export const PG_BACKUP_HINT =
  "the store is PostgreSQL (--database-url): back it up with pg_dump (e.g. pg_dump -Fc -f iot.dump <url>) and the data dir's images/ folder with any file copy; see docs/DEPLOY.md";

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export const backup = defineCommand({
  usage:
    "Usage: iot backup <dir> [--data-dir DIR]\n\nA consistent copy of the database (as of one instant) and of the image files its rows\nname, into the new directory <dir> (tar it for one file). Safe beside a running iot serve:\nserve keeps ingesting while it runs. Restore with 'iot restore <dir>'.",
  maxArguments: 1,
  options: backupOptions,
  async run({ options, positionals, log }) {
    process.umask(0o077);
    const [target, ...extra] = positionals;
    if (options.databaseUrl) throw new ConfigError(PG_BACKUP_HINT);
    if (!target || extra.length)
      throw new ConfigError("expected one argument: the backup directory");
    // beside serve and iot token (shared store lock); never during iot migrate or restore
    const dataDir = openDataDir(
      options.dataDir,
      { command: "iot backup", owner: false, store: "shared" },
      log,
    );
    try {
      const m = createBackup(dataDir.path, target, version);
      const rows = Object.entries(m.rows)
        .map(([t, n]) => `${n} ${t}`)
        .join(", ");
      process.stdout.write(
        `backup ${target}: ${rows}; ${m.images.files} image files (${mb(m.images.bytes)})` +
          (m.images.missing ? `, ${m.images.missing} gone (pruned while it ran)` : "") +
          "\n",
      );
      return 0;
    } catch (e) {
      if (!(e instanceof BackupError)) throw e;
      process.stderr.write(`iot backup: ${e.message}\n`);
      return 1;
    } finally {
      dataDir.release();
    }
  },
});
