/**
 * The PostgreSQL engine: each transaction holds one pooled connection for its length (other
 * transactions run beside it on the others); reads run on the pool.
 */
import type { PgStore } from "../pg/db.ts";
import { pgAuthOps } from "../pg/auth.ts";
import { pgBatchOps } from "../pg/batch.ts";
import { pgIngestOps } from "../pg/ingest.ts";
import { pgReadOps } from "../pg/reads.ts";
import type { StoreEngine } from "./types.ts";

export function postgresEngine(store: PgStore): StoreEngine {
  const reads = pgReadOps(store.db);
  return {
    dialect: "postgres",
    transaction: (fn) =>
      store.db.transaction((tx) =>
        fn({ ...pgIngestOps(tx), ...pgReadOps(tx), ...pgAuthOps(tx), ...pgBatchOps(tx) }),
      ),
    read: (fn) => fn(reads),
    close: () => store.close(),
  };
}
