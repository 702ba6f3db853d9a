import { join } from "node:path";
import { openStore } from "../store/index.ts";
import { applyMigrations } from "../store/migrate.ts";
import { dataDirOption } from "../serve/options.ts";
import type { Command } from "./command.ts";

export const migrate: Command = {
  usage: "Usage: iot migrate [--data-dir DIR]\n\nCreates or upgrades the database.",
  options: [dataDirOption],
  async run({ config }) {
    const path = join(String(config.dataDir), "iot.db");
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
  },
};
