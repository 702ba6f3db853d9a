/**
 * The store a fleet of `iot serve` processes shares, as a parameter of the topology test: the
 * flags every process gets, whether the processes share one data dir, and how the test reads back
 * what was stored (insertion order included).
 * - SQLite: one file in the data dir the processes share (WAL, busy_timeout): one machine.
 * - PostgreSQL: a throwaway cluster (test/support/postgres.ts), `--database-url` for every
 *   process, and each process its OWN data dir, as on separate machines: whatever the fleet
 *   shows across processes must have gone through PostgreSQL (or Kafka), not a shared file.
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { join } from "node:path";
import { startPostgres } from "../support/postgres.ts";

export interface StoredReading {
  ts: number;
  msgId: string | null;
}

export interface FleetStore {
  name: string;
  /** flags for every process of the fleet, beside its --data-dir */
  args: string[];
  /** a device's readings in the order they were stored */
  readingsInStoredOrder(device: string): Promise<StoredReading[]>;
  close(): Promise<void>;
}

export type MakeFleetStore = ((dataDir: string) => Promise<FleetStore>) & {
  storeName: string;
  /** true: every process gets the same --data-dir (the store is in it); false: one each */
  sharedDataDir: boolean;
};

export const sqliteFleetStore: MakeFleetStore = Object.assign(
  async (dataDir: string): Promise<FleetStore> => {
    let db: Database | null = null;
    const open = () => (db ??= new Database(join(dataDir, "iot.db"), { readonly: true }));
    return {
      name: "sqlite",
      args: [],
      readingsInStoredOrder: async (device) =>
        open()
          .query("SELECT ts, msg_id AS msgId FROM readings WHERE device_id = ? ORDER BY id")
          .all(device) as StoredReading[],
      close: async () => db?.close(),
    };
  },
  { storeName: "SQLite", sharedDataDir: true },
);

export const postgresFleetStore: MakeFleetStore = Object.assign(
  async (): Promise<FleetStore> => {
    const cluster = await startPostgres();
    try {
      const url = await cluster.createDatabase("iot");
      // the test's own reads, straight from PostgreSQL (not through any iot process)
      const sql = new SQL(url, { max: 2 });
      return {
        name: "postgres",
        args: ["--database-url", url, "--database-pool", "4"],
        readingsInStoredOrder: async (device) => {
          const rows: Array<{ ts: string | number; msg_id: string | null }> =
            await sql`SELECT ts, msg_id FROM readings WHERE device_id = ${device} ORDER BY id`;
          return rows.map((r) => ({ ts: Number(r.ts), msgId: r.msg_id }));
        },
        close: async () => {
          await sql.close();
          await cluster.stop();
        },
      };
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  },
  { storeName: "PostgreSQL", sharedDataDir: false },
);

/** Every store the topology test runs against (PostgreSQL from Debian's `postgresql`). */
export const fleetStores: MakeFleetStore[] = [sqliteFleetStore, postgresFleetStore];
