/**
 * The two schemas must describe one store: same tables, columns (name, kind of value, null-ness,
 * enum, default), primary keys, unique keys and indexes — above all the sinks' idempotency keys.
 * Types differ only as the engines do (SQLite's integer is PostgreSQL's integer or bigint).
 */
import { describe, expect, test } from "bun:test";
import { is, SQL } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as sqliteSchema from "../schema.ts";
import * as pgSchema from "./schema.ts";

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;
type Column = Config["columns"][number];

/**
 * "generated": a row id the engine makes (an identity in PostgreSQL; in SQLite any integer
 * primary key is the rowid, generated when not given, so there it is not told apart).
 */
const defaultOf = (c: Column) =>
  c.hasDefault && c.default === undefined
    ? "generated"
    : !c.hasDefault
      ? "none"
      : is(c.default, SQL)
        ? "sql"
        : JSON.stringify(c.default);
const isSqliteRowid = (c: Column) => c.primary && c.dataType === "number";

/** A table as both engines must agree on it, in plain data. */
export function describeTable(config: Config) {
  const names = (cols: Array<{ name: string }>) => cols.map((c) => c.name);
  const indexes = config.indexes.map((i) => ({
    name: i.config.name ?? "",
    unique: i.config.unique,
    on: i.config.columns.map((c) => (c as { name: string }).name),
  }));
  return {
    name: config.name,
    columns: Object.fromEntries(
      config.columns.map((c) => [
        c.name,
        {
          value: c.dataType,
          notNull: c.notNull,
          primary: c.primary,
          enum: c.enumValues ?? null,
          default: isSqliteRowid(c) ? "key" : defaultOf(c),
        },
      ]),
    ),
    primaryKeys: config.primaryKeys.map((k) => names(k.columns)),
    indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys.map((f) => {
      const ref = f.reference();
      return { on: names(ref.columns), to: names(ref.foreignColumns), onDelete: f.onDelete };
    }),
  };
}

const tablesOf = <T>(schema: Record<string, unknown>, isTable: (v: unknown) => v is T) =>
  Object.entries(schema).filter((e): e is [string, T] => isTable(e[1]));
const sqliteTables = new Map(
  tablesOf(sqliteSchema, (v): v is SQLiteTable => is(v, SQLiteTable)).map(([k, t]) => [
    k,
    describeTable(sqliteConfig(t)),
  ]),
);
const pgTables = new Map(
  tablesOf(pgSchema, (v): v is PgTable => is(v, PgTable)).map(([k, t]) => [
    k,
    describeTable(pgConfig(t)),
  ]),
);

describe("the SQLite and PostgreSQL schemas", () => {
  test("export the same tables under the same names", () => {
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
    expect(sqliteTables.size).toBeGreaterThan(15);
  });

  for (const [key, sqlite] of sqliteTables) {
    test(`${sqlite.name}: same columns, keys and indexes`, () => {
      expect(pgTables.get(key)).toEqual(sqlite);
    });
  }

  test("the idempotency keys are there (the comparison is not of two empty lists)", () => {
    const readings = pgTables.get("readings")!;
    expect(readings.indexes).toContainEqual({
      name: "readings_src",
      unique: true,
      on: ["src_topic", "src_partition", "src_offset", "src_epoch", "src_timestamp"],
    });
    expect(readings.indexes).toContainEqual({
      name: "readings_msg",
      unique: true,
      on: ["msg_id", "device_id"],
    });
  });
});
