import { BackupError, restoreBackup } from "../backup/index.ts";
import { ConfigError, defineOptions } from "../core/config/index.ts";
import { openDataDir } from "../core/datadir/index.ts";
import { dataDirOption } from "../serve/options.ts";
import { openStore } from "../store/index.ts";
import { defineCommand } from "./command.ts";

const restoreOptions = defineOptions({ dataDir: dataDirOption });

export const restore = defineCommand({
  usage:
    "Usage: iot restore <backup dir> [--data-dir DIR]\n\nRestores a backup made by 'iot backup' into a data dir without a database (a new one, or\none whose iot.db and images/ were moved away). Runs alone: it refuses while an iot serve\nor iot token uses the data dir. Then start iot serve on it.",
  maxArguments: 1,
  options: restoreOptions,
  async run({ options, positionals, log }) {
    process.umask(0o077);
    const [source, ...extra] = positionals;
    if (!source || extra.length)
      throw new ConfigError("expected one argument: the backup directory");
    // nobody else in the data dir: the owner lock and the store lock, both exclusive
    const dataDir = openDataDir(
      options.dataDir,
      { command: "iot restore", owner: true, store: "exclusive" },
      log,
    );
    try {
      const m = restoreBackup(source, dataDir.path);
      // brings a backup from an older iot up to this one's schema, and proves it opens
      openStore(`${dataDir.path}/iot.db`).close();
      process.stdout.write(
        `restored ${source} (made ${m.created_at} by iot ${m.iot_version}) into ${dataDir.path}\n`,
      );
      return 0;
    } catch (e) {
      if (!(e instanceof BackupError)) throw e;
      process.stderr.write(`iot restore: ${e.message}\n`);
      return 1;
    } finally {
      dataDir.release();
    }
  },
});
