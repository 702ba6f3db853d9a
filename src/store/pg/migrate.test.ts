import { SQL } from "bun";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { migrationSets, renderMigrationsModule } from "../../../scripts/embed-migrations.ts";
import { startPostgres, type PostgresCluster } from "../../../test/support/postgres.ts";
import journal from "../../../drizzle/postgres/meta/_journal.json";
import { applyPgMigrations } from "./migrate.ts";
import { migrations } from "./migrations.generated.ts";
import { openPgStore } from "./db.ts";

let pg: PostgresCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(() => pg?.stop());

const tablesOf = async (client: SQL) =>
  (
    (await client`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`) as Array<{
      tablename: string;
    }>
  ).map((r) => r.tablename);

describe("PostgreSQL migrations", () => {
  test("a fresh database gets every table; applying again is a no-op", async () => {
    const client = new SQL(await pg.createDatabase());
    try {
      expect(await applyPgMigrations(client)).toEqual(migrations.map((m) => m.tag));
      const tables = await tablesOf(client);
      for (const t of ["readings", "images", "bins", "entrance_events", "rules", "sessions"]) {
        expect(tables).toContain(t);
      }
      expect(tables).toContain("iot_migrations");
      expect(await applyPgMigrations(client)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  test("an edited migration is refused; a failing one leaves nothing half-applied", async () => {
    const client = new SQL(await pg.createDatabase());
    try {
      const ms = [{ tag: "0000_a", sql: "CREATE TABLE a (x integer);" }];
      expect(await applyPgMigrations(client, ms)).toEqual(["0000_a"]);
      await expect(
        applyPgMigrations(client, [{ tag: "0000_a", sql: "CREATE TABLE b (y int);" }]),
      ).rejects.toThrow(/changed/);
      const bad = [
        { tag: "0001", sql: "CREATE TABLE ok (x int);--> statement-breakpoint\nNOT SQL;" },
      ];
      await expect(applyPgMigrations(client, bad)).rejects.toThrow();
      expect(await tablesOf(client)).not.toContain("ok");
    } finally {
      await client.close();
    }
  });

  test("processes migrating one database at once apply each migration once", async () => {
    const url = await pg.createDatabase();
    const clients = [1, 2, 3, 4].map(() => new SQL(url, { max: 1 }));
    try {
      const results = await Promise.all(clients.map((c) => applyPgMigrations(c)));
      expect(results.flat().sort()).toEqual(migrations.map((m) => m.tag).sort());
      const [row] = await clients[0]!`SELECT count(*)::int AS n FROM iot_migrations`;
      expect(row.n).toBe(migrations.length);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  test("openPgStore migrates and answers numbers as numbers (bigint columns)", async () => {
    const store = await openPgStore(await pg.createDatabase(), { pool: 2 });
    try {
      await store.client`INSERT INTO readings (device_id, ts) VALUES ('d', ${1_764_000_000_000})`;
      const [row] = await store.db.query.readings.findMany();
      expect(row).toMatchObject({ id: 1, deviceId: "d", ts: 1_764_000_000_000, srcEpoch: -1 });
      // stored_at defaults to now in epoch ms, as SQLite's does
      expect(Math.abs(row!.storedAt - Date.now())).toBeLessThan(60_000);
    } finally {
      await store.close();
    }
  });

  test("the embedded list matches drizzle-kit's journal (run `npm run db:generate` if not)", async () => {
    const tags = journal.entries.map((e: { tag: string }) => e.tag);
    const file = await Bun.file(join(import.meta.dir, "migrations.generated.ts")).text();
    expect(file).toBe(renderMigrationsModule(tags, migrationSets[1]));
  });
});
