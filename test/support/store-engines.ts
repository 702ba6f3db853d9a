/**
 * Both store engines for one test file: a fresh SQLite file or a fresh PostgreSQL database per
 * call, from one throwaway cluster started before the file's tests and stopped after them.
 */
import { afterAll, beforeAll } from "bun:test";
import { join } from "node:path";
import { openStore } from "../../src/store/index.ts";
import { sqliteEngine, type StoreEngine } from "../../src/store/engine/index.ts";
import { openPgStore } from "../../src/store/pg/db.ts";
import { postgresEngine } from "../../src/store/engine/open-postgres.ts";
import type { SourceKey } from "../../src/store/source.ts";
import { startPostgres, type PostgresCluster } from "./postgres.ts";
import { tempDirs } from "./temp.ts";

export type EngineName = "sqlite" | "postgres";

/** an engine, and a way to run plain SQL on its database (the same text on both) */
export interface OpenedStore {
  engine: StoreEngine;
  exec(sqlText: string): Promise<void>;
}

export interface TestStores {
  /** an engine on a fresh database, by engine */
  engines: Record<EngineName, () => Promise<StoreEngine>>;
  /** the same with plain SQL beside it: for rows no operation writes */
  withSql: Record<EngineName, () => Promise<OpenedStore>>;
  /** the file's cluster (after its beforeAll): more databases, more engines on one database */
  cluster(): PostgresCluster;
}

export function useStores(prefix: string, opts: { pool: number }): TestStores {
  let pg: PostgresCluster | undefined;
  const dirs = tempDirs(prefix);
  // initdb takes seconds on a loaded machine: more than a hook's default 5 s
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
    dirs.cleanup();
  });
  const cluster = () => {
    if (!pg) throw new Error("the PostgreSQL cluster starts in beforeAll");
    return pg;
  };
  const withSql: TestStores["withSql"] = {
    sqlite: async () => {
      const store = openStore(join(dirs.make(), "iot.db"));
      return {
        engine: sqliteEngine(store.db, store.close),
        exec: async (text) => void store.sqlite.run(text),
      };
    },
    postgres: async () => {
      const store = await openPgStore(await cluster().createDatabase(), opts);
      return {
        engine: postgresEngine(store),
        exec: async (text) => void (await store.client.unsafe(text)),
      };
    },
  };
  return {
    engines: {
      sqlite: async () => (await withSql.sqlite()).engine,
      postgres: async () => (await withSql.postgres()).engine,
    },
    withSql,
    cluster,
  };
}

/** Only the engines (most contract files need no more). */
export function useStoreEngines(
  prefix: string,
  opts: { pool: number },
): Record<EngineName, () => Promise<StoreEngine>> {
  return useStores(prefix, opts).engines;
}

/** A test's body on a fresh store from `open`, closed after it whatever happens. */
export function onFresh<S extends StoreEngine | OpenedStore>(open: () => Promise<S>) {
  return (fn: (store: S) => Promise<void>) => async () => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      const engine: StoreEngine = "exec" in store ? store.engine : store;
      await engine.close();
    }
  };
}

/** Kafka source keys (a stored row's idempotency key), each at the next offset. */
export function sourceKeys(srcTopic: string, srcTimestamp: number) {
  let offset = 0;
  return (over: Partial<SourceKey> = {}): SourceKey => ({
    srcTopic,
    srcPartition: 0,
    srcOffset: offset++,
    srcEpoch: 0,
    srcTimestamp,
    ...over,
  });
}
