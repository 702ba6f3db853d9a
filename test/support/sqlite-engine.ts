/**
 * The one SQLite store engine of a test's connection (as `iot serve` has one): sinks, alerts and
 * the relay of one test share it, so their transactions take turns on the connection.
 */
import type { Db } from "../../src/store/index.ts";
import { sqliteEngine, type StoreEngine } from "../../src/store/engine/index.ts";

const engines = new WeakMap<Db, StoreEngine>();

export function engineOf(db: Db): StoreEngine {
  let engine = engines.get(db);
  if (!engine) engines.set(db, (engine = sqliteEngine(db)));
  return engine;
}
