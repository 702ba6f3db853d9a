export { inTransaction, openStore, type Db, type Store } from "./db.ts";
export { applyMigrations, type Migration } from "./migrate.ts";
export * as schema from "./schema.ts";
