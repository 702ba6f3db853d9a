import { join } from "node:path";
import { openDataDir } from "../core/datadir/index.ts";
import { openStore } from "../store/index.ts";
import { applyMigrations } from "../store/migrate.ts";
import { dataDirOption } from "../serve/options.ts";
import type { Command } from "./command.ts";

export const migrate: Command = {
  usage:
    "Usage: iot migrate [--data-dir DIR]\n\nCreates or upgrades the database. Runs alone: it refuses while an iot serve or\niot token uses the data dir (stop serve first).",
  options: [dataDirOption],
  async run({ config, log }) {
    process.umask(0o077);
    // the schema changes under nobody: the owner lock and the store lock, both exclusive
    const dataDir = openDataDir(
      String(config.dataDir),
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
};
