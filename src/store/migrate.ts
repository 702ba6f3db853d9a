import type { Database } from "bun:sqlite";
import { createHash } from "node:crypto";
import { migrations as embedded } from "./migrations.generated.ts";

export interface Migration {
  tag: string;
  sql: string;
}

/**
 * Applies drizzle-kit's migrations from the copies embedded in the binary (drizzle's own
 * `migrate()` reads a folder from disk, which a compiled binary does not have). Each migration
 * runs in one transaction and is recorded with a hash, so an edited migration is detected.
 */
export function applyMigrations(
  db: Database,
  migrations: readonly Migration[] = embedded,
): string[] {
  db.run(`CREATE TABLE IF NOT EXISTS iot_migrations (
    tag TEXT PRIMARY KEY, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Map(
    db
      .query<{ tag: string; hash: string }, []>("SELECT tag, hash FROM iot_migrations")
      .all()
      .map((r) => [r.tag, r.hash]),
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const hash = createHash("sha256").update(m.sql).digest("hex");
    const previous = done.get(m.tag);
    if (previous !== undefined) {
      if (previous !== hash) throw new Error(`migration ${m.tag} changed after it was applied`);
      continue;
    }
    // IMMEDIATE: the write lock first, then look again, so processes sharing the store (serve's
    // roles, iot token) starting together apply each migration once
    const fresh = db
      .transaction(() => {
        if (db.query("SELECT 1 FROM iot_migrations WHERE tag = ?").get(m.tag)) return false;
        for (const statement of m.sql.split("--> statement-breakpoint")) {
          if (statement.trim()) db.run(statement);
        }
        db.run("INSERT INTO iot_migrations (tag, hash, applied_at) VALUES (?, ?, ?)", [
          m.tag,
          hash,
          Date.now(),
        ]);
        return true;
      })
      .immediate();
    if (fresh) applied.push(m.tag);
  }
  return applied;
}
