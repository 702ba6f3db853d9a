/**
 * Drizzle queries built and prepared once per database, then run with new parameters: for the
 * small indexed reads a page makes (a few rows each, some once per room or device), building the
 * query and preparing its statement cost several times what running it does.
 */
import type { Db } from "./db.ts";

const byDb = new WeakMap<Db, Map<string, unknown>>();

/** The prepared query named `name` on this database, built by `build` the first time. */
export function prepared<Q>(db: Db, name: string, build: () => Q): Q {
  let queries = byDb.get(db);
  if (!queries) byDb.set(db, (queries = new Map()));
  let q = queries.get(name) as Q | undefined;
  if (q === undefined) queries.set(name, (q = build()));
  return q;
}
