/**
 * The store a fleet of `iot serve` processes shares, as a parameter of the topology test: the
 * flags every process gets and how the test reads back what was stored (insertion order included).
 * SQLite: one file in the data dir the processes share (WAL, busy_timeout). PostgreSQL joins
 * here once `--database-url` exists (a FleetStore whose args are ["--database-url", url]).
 */
import { Database } from "bun:sqlite";
import { join } from "node:path";

export interface StoredReading {
  ts: number;
  msgId: string | null;
}

export interface FleetStore {
  name: string;
  /** flags for every process of the fleet, beside the shared --data-dir */
  args: string[];
  /** a device's readings in the order they were stored */
  readingsInStoredOrder(device: string): StoredReading[] | Promise<StoredReading[]>;
  close(): void;
}

export function sqliteFleetStore(dataDir: string): FleetStore {
  let db: Database | null = null;
  const open = () => (db ??= new Database(join(dataDir, "iot.db"), { readonly: true }));
  return {
    name: "sqlite",
    args: [],
    readingsInStoredOrder: (device) =>
      open()
        .query("SELECT ts, msg_id AS msgId FROM readings WHERE device_id = ? ORDER BY id")
        .all(device) as StoredReading[],
    close: () => db?.close(),
  };
}

/** Every store the topology test runs against on this machine. */
export const fleetStores: Array<(dataDir: string) => FleetStore> = [sqliteFleetStore];
