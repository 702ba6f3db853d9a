/**
 * The PostgreSQL store at `url` (`--database-url`), migrated, behind the async face. Apart from
 * index.ts so that a process on SQLite never loads the PostgreSQL client (imported lazily).
 */
import { openPgStore, type PgStoreOptions } from "../pg/db.ts";
import { postgresEngine } from "./postgres.ts";
import type { StoreEngine } from "./types.ts";

export { postgresEngine } from "./postgres.ts";

export async function openPostgresEngine(
  url: string,
  options: PgStoreOptions = {},
): Promise<StoreEngine> {
  return postgresEngine(await openPgStore(url, options));
}
