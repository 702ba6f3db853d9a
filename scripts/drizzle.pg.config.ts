import { defineConfig } from "drizzle-kit";

/** The PostgreSQL schema's migrations (`--database-url postgres://…`), beside SQLite's. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/pg/schema.ts",
  out: "./drizzle/postgres",
});
