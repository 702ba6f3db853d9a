/**
 * The PostgreSQL engine: each transaction holds one pooled connection for its length (other
 * transactions run beside it on the others); reads run on the pool.
 */
import type { PgStore } from "../pg/db.ts";
import { pgApiOps } from "../pg/api.ts";
import { pgAuthOps } from "../pg/auth.ts";
import { pgLifecycleStore } from "../pg/lifecycle.ts";
import { pgIngestOps } from "../pg/ingest.ts";
import { pgReadOps } from "../pg/reads.ts";
import { pgSinkOps } from "../pg/sinks.ts";
import { pgDeliveryOps } from "../pg/delivery.ts";
import type { StoreEngine } from "./types.ts";

export function postgresEngine(store: PgStore): StoreEngine {
  const reads = { ...pgReadOps(store.db), ...pgApiOps(store.db) };
  return {
    dialect: "postgres",
    lifecycle: pgLifecycleStore(store),
    transaction: (fn) =>
      store.db.transaction((tx) =>
        fn({
          ...pgIngestOps(tx),
          ...pgReadOps(tx),
          ...pgAuthOps(tx),
          ...pgSinkOps(tx),
          ...pgDeliveryOps(tx),
          ...pgApiOps(tx),
        }),
      ),
    read: (fn) => fn(reads),
    close: () => store.close(),
  };
}
