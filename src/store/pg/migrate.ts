import type { SQL } from "bun";
import { createHash } from "node:crypto";
import type { Migration } from "../migrate.ts";
import { migrations as embedded } from "./migrations.generated.ts";

/** Any number the processes sharing a database agree on: the advisory lock migrations take. */
const MIGRATION_LOCK = 0x696f74; // "iot"

/**
 * Applies drizzle-kit's PostgreSQL migrations (drizzle/postgres/, embedded in the binary) as the
 * SQLite side does (src/store/migrate.ts): each in one transaction, recorded with a hash so an
 * edited migration is refused. A transaction-scoped advisory lock makes processes starting
 * together (several `iot serve --role consumers` on one database) apply each migration once.
 */
export async function applyPgMigrations(
  client: SQL,
  migrations: readonly Migration[] = embedded,
): Promise<string[]> {
  // under the lock too: two CREATE TABLE IF NOT EXISTS at once can both try to create it
  await client.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx.unsafe(`CREATE TABLE IF NOT EXISTS iot_migrations (
      tag text PRIMARY KEY, hash text NOT NULL, applied_at bigint NOT NULL)`);
  });
  const done = new Map(
    (
      (await client`SELECT tag, hash FROM iot_migrations`) as Array<{ tag: string; hash: string }>
    ).map((r) => [r.tag, r.hash]),
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const hash = createHash("sha256").update(m.sql).digest("hex");
    const previous = done.get(m.tag);
    if (previous !== undefined) {
      if (previous !== hash) throw new Error(`migration ${m.tag} changed after it was applied`);
      continue;
    }
    const fresh = await client.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      const [seen] = await tx`SELECT hash FROM iot_migrations WHERE tag = ${m.tag}`;
      if (seen) {
        if (seen.hash !== hash) throw new Error(`migration ${m.tag} changed after it was applied`);
        return false;
      }
      for (const statement of m.sql.split("--> statement-breakpoint")) {
        if (statement.trim()) await tx.unsafe(statement);
      }
      await tx`INSERT INTO iot_migrations (tag, hash, applied_at) VALUES (${m.tag}, ${hash}, ${Date.now()})`;
      return true;
    });
    if (fresh) applied.push(m.tag);
  }
  return applied;
}
