/**
 * A storing sink's batch is one transaction: a write that fails part way leaves nothing of the
 * batch behind (rows, alerts), so the redelivered batch is stored whole, once.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { Alerts } from "../alerts/index.ts";
import { EventBus } from "../events/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { binsSink } from "./bins.ts";
import { handleInBatch, type SinkRecord } from "./run-sink.ts";
import { engineOf } from "../../test/support/sqlite-engine.ts";

const dirs = tempDirs("iot-run-sink-");
const stores: Store[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.cleanup();
});

const bin = (offset: number, value: string): SinkRecord => ({
  topic: "hello/world",
  partition: 0,
  offset,
  epoch: 0,
  key: null,
  value: Buffer.from(value),
  headers: {},
  timestamp: 1_800_000_000_000 + offset,
});
const count = (s: Store, table: string) =>
  (s.sqlite.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("a sink's batch", () => {
  test("a write failing part way stores none of the batch; the redelivery stores it all", async () => {
    const store = openStore(join(dirs.make(), "iot.db"));
    stores.push(store);
    const bus = new EventBus();
    const sink = binsSink(engineOf(store.db), new Alerts(engineOf(store.db), bus), bus);
    // the second record's row is refused by the database (as a full disk would refuse it)
    store.sqlite.run(
      "CREATE TRIGGER refuse BEFORE INSERT ON bins WHEN NEW.bin_count = 99 BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    const batch = [bin(0, "FULL 1 2026-11-22 10:00:00"), bin(1, "40 99 2026-11-22 10:00:01")];
    await expect(handleInBatch(sink, batch)).rejects.toThrow("refused");
    expect([count(store, "bins"), count(store, "alerts")]).toEqual([0, 0]);

    store.sqlite.run("DROP TRIGGER refuse");
    expect(await handleInBatch(sink, batch)).toEqual([]);
    expect([count(store, "bins"), count(store, "alerts")]).toEqual([2, 1]);
  });
});
