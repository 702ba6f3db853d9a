export type { IngestOps, ReadOps, StoreEngine, StoreOps } from "./types.ts";
export type { SinkOps } from "./sink-types.ts";
export { sqliteEngine, TransactionCrossedTurn } from "./sqlite.ts";
export { postgresEngine } from "./postgres.ts";

import { openPgStore, type PgStoreOptions } from "../pg/db.ts";
import { postgresEngine } from "./postgres.ts";
import type { StoreEngine } from "./types.ts";

/** The PostgreSQL store at `url` (`--database-url`), migrated, behind the async face. */
export async function openPostgresEngine(
  url: string,
  options: PgStoreOptions = {},
): Promise<StoreEngine> {
  return postgresEngine(await openPgStore(url, options));
}
