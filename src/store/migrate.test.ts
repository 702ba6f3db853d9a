import { Database } from "bun:sqlite";
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderMigrationsModule } from "../../scripts/embed-migrations.ts";
import { openStore } from "./db.ts";
import { applyMigrations } from "./migrate.ts";
import { migrations } from "./migrations.generated.ts";
import journal from "../../drizzle/meta/_journal.json";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "iot-store-"));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("migrations", () => {
  test("a fresh database file gets every table, in WAL mode", () => {
    const store = openStore(join(tempDir(), "nested", "iot.db"));
    const tables = store.sqlite
      .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => r.name);
    for (const t of ["readings", "images", "bins", "entrance_events", "people", "rooms"]) {
      expect(tables).toContain(t);
    }
    for (const t of ["rules", "devices", "alerts", "tokens", "iot_migrations"]) {
      expect(tables).toContain(t);
    }
    const mode = store.sqlite.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get();
    expect(mode?.journal_mode).toBe("wal");
    store.close();
  });

  test("re-applying is a no-op and an edited migration is refused", () => {
    const db = new Database(":memory:");
    const ms = [{ tag: "0000_a", sql: "CREATE TABLE a (x INTEGER);" }];
    expect(applyMigrations(db, ms)).toEqual(["0000_a"]);
    expect(applyMigrations(db, ms)).toEqual([]);
    expect(() => applyMigrations(db, [{ tag: "0000_a", sql: "CREATE TABLE b (y);" }])).toThrow(
      /changed/,
    );
  });

  test("a failing migration leaves nothing half-applied", () => {
    const db = new Database(":memory:");
    const bad = [{ tag: "0001", sql: "CREATE TABLE ok (x);--> statement-breakpoint\nNOT SQL;" }];
    expect(() => applyMigrations(db, bad)).toThrow();
    const ok = db.query("SELECT name FROM sqlite_master WHERE name = 'ok'").get();
    expect(ok).toBeNull();
  });

  test("a database made by 0000 migrates: old rows keep a null msg_id, new ones are unique", () => {
    const db = new Database(join(tempDir(), "old.db"));
    applyMigrations(db, migrations.slice(0, 1));
    let offset = 0;
    const insert = (msgId?: string) =>
      db.run(
        `INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset${msgId ? ", msg_id" : ""})
         VALUES ('d', 1, 20, 't', 0, ?${msgId ? ", ?" : ""}) ON CONFLICT DO NOTHING`,
        msgId ? [offset++, msgId] : [offset++],
      );
    insert();
    insert();
    expect(applyMigrations(db)).toEqual(migrations.slice(1).map((m) => m.tag));
    const count = () => db.query<{ n: number }, []>("SELECT count(*) AS n FROM readings").get()!.n;
    expect(count()).toBe(2);
    insert("m-1");
    insert("m-1");
    expect(count()).toBe(3);
    const nulls = db.query("SELECT count(*) AS n FROM readings WHERE msg_id IS NULL").get();
    expect(nulls).toEqual({ n: 2 });
    db.close();
  });

  test("the embedded list matches drizzle's journal (run `npm run db:generate` if not)", async () => {
    const tags = journal.entries.map((e: { tag: string }) => e.tag);
    const file = await Bun.file(join(import.meta.dir, "migrations.generated.ts")).text();
    expect(file).toBe(renderMigrationsModule(tags));
  });
});
