import { join } from "node:path";
import { openDataDir } from "../core/datadir/index.ts";
import { openStore } from "../store/index.ts";
import { applyMigrations } from "../store/migrate.ts";
import { applyPgMigrations } from "../store/pg/migrate.ts";
import { databaseUrlOption, dataDirOption } from "../serve/options.ts";
import { defineOptions } from "../core/config/index.ts";
import { defineCommand } from "./command.ts";

const migrateOptions = defineOptions({ dataDir: dataDirOption, databaseUrl: databaseUrlOption });

export const migrate = defineCommand({
  usage:
    "Usage: iot migrate [--data-dir DIR | --database-url postgres://…]\n\nCreates or upgrades the database: SQLite in the data dir, or PostgreSQL with --database-url.\nOn SQLite it runs alone: it refuses while an iot serve or iot token uses the data dir (stop\nserve first). On PostgreSQL each migration takes a lock, so processes starting together apply\nit once.",
  options: migrateOptions,
  async run({ options, log }) {
    process.umask(0o077);
    if (options.databaseUrl) return migratePostgres(options.databaseUrl);
    // the schema changes under nobody: the owner lock and the store lock, both exclusive
    const dataDir = openDataDir(
      options.dataDir,
      { command: "iot migrate", owner: true, store: "exclusive" },
      log,
    );
    try {
      const path = join(dataDir.path, "iot.db");
      const store = openStore(path, { migrate: false });
      try {
        const applied = applyMigrations(store.sqlite);
        process.stdout.write(
          applied.length ? `applied ${applied.join(", ")} to ${path}\n` : `${path} is up to date\n`,
        );
      } finally {
        store.close();
      }
      return 0;
    } finally {
      dataDir.release();
    }
  },
});

async function migratePostgres(url: string): Promise<number> {
  const { SQL } = await import("bun");
  const client = new SQL(url, { max: 1 });
  // named without its password
  const where = databaseUrlOption.mask(url);
  try {
    const applied = await applyPgMigrations(client);
    process.stdout.write(
      applied.length ? `applied ${applied.join(", ")} to ${where}\n` : `${where} is up to date\n`,
    );
    return 0;
  } catch (e) {
    // unreachable, refused, a failing migration: one line naming the database, not a stack trace
    process.stderr.write(`iot migrate: ${where}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}
