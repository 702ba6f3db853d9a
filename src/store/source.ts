import type { SQLQueryBindings } from "bun:sqlite";
import { sql, type Param, type Placeholder } from "drizzle-orm";
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
