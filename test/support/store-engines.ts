/**
 * Both store engines for one test file: a fresh SQLite file or a fresh PostgreSQL database per
 * call, from one throwaway cluster started before the file's tests and stopped after them.
 */
import { afterAll, beforeAll } from "bun:test";
import { join } from "node:path";
import { openStore } from "../../src/store/index.ts";
import { sqliteEngine, type StoreEngine } from "../../src/store/engine/index.ts";
import { openPostgresEngine } from "../../src/store/engine/open-postgres.ts";
import { startPostgres, type PostgresCluster } from "./postgres.ts";
import { tempDirs } from "./temp.ts";

export function useStoreEngines(
  prefix: string,
  opts: { pool: number },
): Record<"sqlite" | "postgres", () => Promise<StoreEngine>> {
  let pg: PostgresCluster;
  const dirs = tempDirs(prefix);
  // initdb takes seconds on a loaded machine: more than a hook's default 5 s
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
    dirs.cleanup();
  });
  return {
    sqlite: async () => {
      const store = openStore(join(dirs.make(), "iot.db"));
      return sqliteEngine(store.db, store.close);
    },
    postgres: async () => openPostgresEngine(await pg.createDatabase(), opts),
  };
}
