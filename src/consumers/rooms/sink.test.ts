/**
 * Several consumers processes share the rooms' partitions: the store is the truth. Each "process"
 * here is a sink with its own connection to one SQLite file; a partition moving between them is
 * `onAssign` and the records of the new owner's first batch (some of them redelivered).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../../test/support/temp.ts";
import { Alerts } from "../../alerts/index.ts";
import { EventBus } from "../../events/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { handleInBatch, type SinkRecord } from "../run-sink.ts";
import { roomsSink } from "./sink.ts";
import { engineOf } from "../../../test/support/sqlite-engine.ts";

const dirs = tempDirs("iot-rooms-sink-");
const stores: Store[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.cleanup();
});

const opts = { windowMs: 5 * 60_000, hysteresis: 0.5 };
const t0 = 1_800_000_000_000;

/** One file, and a sink per "process" opened on it. */
function site() {
  const path = join(dirs.make(), "iot.db");
  const process = () => {
    const store = openStore(path);
    stores.push(store);
    const sink = roomsSink(
      engineOf(store.db),
      new Alerts(engineOf(store.db), new EventBus()),
      new EventBus(),
      opts,
    );
    // as run-sink does: one transaction per batch
    const handle = async (records: SinkRecord[]) =>
      expect(await handleInBatch(sink, records)).toEqual([]);
    return { store, sink, handle };
  };
  return { process };
}

const reading = (offset: number, temperature: number): SinkRecord => ({
  topic: "room",
  partition: 0,
  offset,
  epoch: 0,
  key: "1",
  value: Buffer.from(JSON.stringify({ room_no: 1, status: { temperature } })),
  headers: {},
  timestamp: t0 + offset * 1000,
});
const rule = (offset: number, up: number): SinkRecord => ({
  topic: "room_rule",
  partition: 0,
  offset,
  epoch: 0,
  key: "1",
  value: Buffer.from(
    JSON.stringify({
      room_no: 1,
      value: {
        schedule_id: 1,
        order: "insert",
        condition: { temperature: { agg_type: "mean", up, down: null } },
      },
    }),
  ),
  headers: {},
  timestamp: t0,
});

const alertsOf = (s: Store) =>
  s.sqlite.query("SELECT state FROM alerts WHERE kind = 'room-rule' ORDER BY id").all() as Array<{
    state: string;
  }>;

describe("rooms sink across processes", () => {
  test("a rule saved by the process holding room_rule reaches the one holding room, without a restart", async () => {
    const { process } = site();
    const a = process();
    const b = process(); // started before the rule existed
    await a.handle([rule(0, 25)]);
    await b.handle([reading(0, 30)]);
    expect(alertsOf(b.store)).toEqual([{ state: "open" }]);
  });

  test("the new owner rebuilds the window from the store: not empty, and redeliveries not counted twice", async () => {
    const { process } = site();
    const a = process();
    await a.handle([rule(0, 25), reading(0, 20), reading(1, 20)]);
    // a dies before committing its offsets: b gets 0 and 1 again, then 32 — the mean of the
    // stored window (20, 20, 32) is 24: no alert (an empty window would say 32: alert)
    const b = process();
    b.sink.onAssign?.();
    await b.handle([reading(0, 20), reading(1, 20), reading(2, 32)]);
    expect(alertsOf(b.store)).toEqual([]);
    const count = b.store.sqlite.query("SELECT count(*) AS n FROM room_readings").get() as {
      n: number;
    };
    expect(count.n).toBe(3);
  });

  test("an alert raised by one process is cleared by the one that takes the room over, once", async () => {
    const { process } = site();
    const a = process();
    const b = process(); // running all along, holding other partitions
    await a.handle([rule(0, 25), reading(0, 30), reading(1, 30)]);
    expect(alertsOf(a.store)).toEqual([{ state: "open" }]);
    b.sink.onAssign?.();
    // redelivered 30s, then two 14s: mean (30+30+14+14)/4 = 22 — back within 25 - 0.5. Had the
    // redelivered 30s counted twice the mean would be 24.67 and the alert would stay open.
    await b.handle([reading(0, 30), reading(1, 30)]);
    expect(alertsOf(b.store)).toEqual([{ state: "open" }]); // still too warm: not raised again
    await b.handle([reading(2, 14), reading(3, 14)]);
    expect(alertsOf(b.store)).toEqual([{ state: "cleared" }]);
  });

  test("a room handed back after another process held it: its window is rebuilt, not stale", async () => {
    const { process } = site();
    const a = process();
    const b = process();
    await a.handle([rule(0, 25), reading(0, 20), reading(1, 20)]);
    b.sink.onAssign?.();
    await b.handle([reading(2, 40), reading(3, 40)]); // mean 30: alert
    expect(alertsOf(b.store)).toEqual([{ state: "open" }]);
    a.sink.onAssign?.(); // the room comes back to a
    // a's window must hold b's 40s: mean (20+20+40+40+20)/5 = 28 — still too warm. A stale
    // window (20, 20, 20) would clear it.
    await a.handle([reading(4, 20)]);
    expect(alertsOf(a.store)).toEqual([{ state: "open" }]);
  });
});
