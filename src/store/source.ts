import { sql, type Placeholder } from "drizzle-orm";

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
  columns: readonly K[],
): Record<K | keyof SourceKey, Placeholder> {
  const names = [...columns, ...sourceColumns];
  return Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<
    K | keyof SourceKey,
    Placeholder
  >;
}
