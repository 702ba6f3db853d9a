import { join } from "node:path";
import { openDataDir } from "../core/datadir/index.ts";
import { openStore } from "../store/index.ts";
import { applyMigrations } from "../store/migrate.ts";
import { dataDirOption } from "../serve/options.ts";
import { defineOptions } from "../core/config/index.ts";
import { defineCommand } from "./command.ts";

const migrateOptions = defineOptions({ dataDir: dataDirOption });

export const migrate = defineCommand({
  usage:
    "Usage: iot migrate [--data-dir DIR]\n\nCreates or upgrades the database. Runs alone: it refuses while an iot serve or\niot token uses the data dir (stop serve first).",
  options: migrateOptions,
  async run({ options, log }) {
    process.umask(0o077);
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
