/**
 * Several consumers processes share the entrance partitions: each "process" here is a presence
 * sink with its own connection to one SQLite file. A person's time away and the group's median
 * come from the store, so a partition moving between them neither loses nor double-counts an
 * entrance.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../../test/support/temp.ts";
import { Alerts } from "../../alerts/index.ts";
import { EventBus } from "../../events/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { handleInBatch, type SinkRecord } from "../run-sink.ts";
import { presenceSink } from "./sink.ts";
import { engineOf } from "../../../test/support/sqlite-engine.ts";

const dirs = tempDirs("iot-presence-sink-");
const stores: Store[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.cleanup();
});

const min = 60_000;
const at = (h: number, m = 0) => new Date(2026, 10, 23, h, m).getTime();
const opts = { factor: 3, minAwayMs: 30 * min };

function site() {
  const path = join(dirs.make(), "iot.db");
  return () => {
    const store = openStore(path);
    stores.push(store);
    const p = presenceSink(
      engineOf(store.db),
      new Alerts(engineOf(store.db), new EventBus()),
      new EventBus(),
      opts,
    );
    const handle = async (records: SinkRecord[]) =>
      expect(await handleInBatch(p.sink, records)).toEqual([]);
    return { store, handle, evaluate: p.evaluate };
  };
}

const event = (offset: number, name: string, type: "in" | "out", ts: number): SinkRecord => ({
  topic: "entrance",
  partition: 0,
  offset,
  epoch: 0,
  key: name,
  value: Buffer.from(JSON.stringify({ record_type: type, value: ts })),
  headers: {},
  timestamp: ts,
});

const person = (s: Store, name: string) =>
  s.sqlite
    .query("SELECT state, away_ms_today AS away, flagged FROM people WHERE name = ?")
    .get(name) as { state: string; away: number; flagged: number };
const openAlerts = (s: Store) =>
  (
    s.sqlite
      .query("SELECT count(*) AS n FROM alerts WHERE kind = 'away-too-long' AND state = 'open'")
      .get() as { n: number }
  ).n;

describe("presence sink across processes", () => {
  test("the new owner goes on from what the old one stored, redeliveries not counted twice", async () => {
    const process = site();
    const a = process();
    const b = process(); // running all along
    await a.handle([event(0, "jane", "in", at(9)), event(1, "jane", "out", at(10))]);
    // the partition moves to b, which gets 1 again, then jane comes back after 20 min
    await b.handle([event(1, "jane", "out", at(10)), event(2, "jane", "in", at(10, 20))]);
    expect(person(b.store, "jane")).toMatchObject({ state: "in", away: 20 * min });
    // and back to a: the next time away adds to b's 20 min
    await a.handle([event(3, "jane", "out", at(11)), event(4, "jane", "in", at(11, 10))]);
    expect(person(a.store, "jane")).toMatchObject({ state: "in", away: 30 * min });
  });

  test("the median is everyone's, whoever stored them; both processes re-checking raise one alert", async () => {
    const process = site();
    const a = process();
    const b = process();
    // a holds jane's partition, b holds the others': jane is away 2 h, the others 5 min
    await a.handle([event(0, "jane", "in", at(8)), event(1, "jane", "out", at(9))]);
    await b.handle([
      event(0, "joe", "out", at(9)),
      event(1, "joe", "in", at(9, 5)),
      event(2, "ann", "out", at(9)),
      event(3, "ann", "in", at(9, 5)),
    ]);
    await a.evaluate(at(11));
    await b.evaluate(at(11));
    expect(person(a.store, "jane").flagged).toBe(1);
    expect(openAlerts(a.store)).toBe(1);
    // joe goes out for long too: the median grows, jane is no longer far above it
    await b.handle([event(4, "joe", "out", at(9, 10)), event(5, "ann", "out", at(9, 10))]);
    await a.evaluate(at(11));
    expect(person(a.store, "jane").flagged).toBe(0);
    expect(openAlerts(a.store)).toBe(0);
  });
});
