export type { IngestOps, ReadOps, StoreEngine, StoreOps } from "./types.ts";
export type { SinkOps } from "./sink-types.ts";
export { sqliteEngine, TransactionCrossedTurn } from "./sqlite.ts";
// PostgreSQL: ./open-postgres.ts (loaded only with --database-url)
