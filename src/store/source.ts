import type { SQLQueryBindings, Statement } from "bun:sqlite";
import { Column, sql, type Param, type Placeholder } from "drizzle-orm";
import type { Db } from "./db.ts";

/**
 * The columns naming the Kafka record a row was made from (schema.ts `source`): the sinks'
 * idempotency key.
 */
export interface SourceKey {
  srcTopic: string;
  srcPartition: number;
  srcOffset: number;
  srcEpoch: number;
  srcTimestamp: number;
}

const sourceColumns = [
  "srcTopic",
  "srcPartition",
  "srcOffset",
  "srcEpoch",
  "srcTimestamp",
] as const satisfies ReadonlyArray<keyof SourceKey>;

/**
 * The values of a prepared insert of a row made from a Kafka record: one named placeholder per
 * column listed, and the source columns.
 */
export function recordPlaceholders<K extends string>(
  columns: ReadonlyArray<K>,
): Record<K | keyof SourceKey, Placeholder> {
  const names = [...columns, ...sourceColumns];
  return Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<
    K | keyof SourceKey,
    Placeholder
  >;
}

/**
 * An insert of a record's row, built by drizzle with `recordPlaceholders` and prepared once on
 * the driver (the sinks' hot path: no per-row query building or result mapping). It stores the
 * row unless one with its keys is there already (`ON CONFLICT DO NOTHING`), and answers the new
 * row's id, or undefined for a row seen before.
 */
export function preparedInsert<Row extends SourceKey>(
  db: Db,
  query: { toSQL(): { sql: string; params: unknown[] } },
): (row: Row) => number | undefined {
  const { sql: text, params } = query.toSQL();
  // each parameter is a placeholder wrapped with its column's encoder (booleans, JSON)
  const columns = (params as Param[]).map((p) => ({
    name: (p.value as Placeholder).name as keyof Row,
    encode: (v: unknown) => p.encoder!.mapToDriverValue(v) as SQLQueryBindings,
  }));
  const statement = db.$client.prepare(text);
  const values: SQLQueryBindings[] = new Array(columns.length);
  return (row) => {
    for (let i = 0; i < columns.length; i++) {
      const { name, encode } = columns[i]!;
      const v = row[name];
      values[i] = v === null || v === undefined ? null : encode(v);
    }
    const { changes, lastInsertRowid } = statement.run(...values);
    return changes > 0 ? Number(lastInsertRowid) : undefined;
  };
}

/**
 * The driver's statement of an insert built as for `preparedInsert`, for a caller that binds
 * the values itself, in the order of `columns` (checked against drizzle's SQL here, once): the
 * readings sink's insert runs per reading, and reading each value by name, through its column's
 * encoder, cost a fifth of the insert. Only for columns stored as given (no boolean or JSON
 * encoder): anything else throws at start-up rather than store a wrong value.
 */
export function positionalInsert<Row extends SourceKey>(
  db: Db,
  query: { toSQL(): { sql: string; params: unknown[] } },
  columns: ReadonlyArray<keyof Row>,
): Statement {
  const { sql: text, params } = query.toSQL();
  const names = (params as Param[]).map((p) => (p.value as Placeholder).name);
  if (names.join() !== columns.join())
    throw new Error(`insert binds ${columns.join()}, its SQL takes ${names.join()}`);
  for (const p of params as Param[])
    if (p.encoder && p.encoder.mapToDriverValue !== Column.prototype.mapToDriverValue)
      throw new Error(`column ${(p.value as Placeholder).name} has an encoder: use preparedInsert`);
  return db.$client.prepare(text);
}
