/**
 * The batch writes' contract (batch-types.ts) on both engines: the same rows stored, skipped and
 * ordered as the one-row inserts of contract.test.ts would.
 */
import { describe, expect, test } from "bun:test";
import { useStoreEngines } from "../../../test/support/store-engines.ts";
import type { NewReading } from "../readings.ts";
import type { StoreEngine } from "./index.ts";

const engines: Record<string, () => Promise<StoreEngine>> = useStoreEngines("iot-batch-", {
  pool: 2,
});

const T = 1_764_000_000_000;
let offset = 0;
const reading = (deviceId: string, ts: number, over: Partial<NewReading> = {}): NewReading => ({
  deviceId,
  ts,
  temperature: 21.5,
  humidity: 40,
  msgId: null,
  srcTopic: "iot.telemetry",
  srcPartition: 0,
  srcOffset: offset++,
  srcEpoch: 0,
  srcTimestamp: T,
  ...over,
});

for (const [name, open] of Object.entries(engines)) {
  describe(`batch writes: ${name}`, () => {
    test("readings.insertMany skips what was stored before and repeats within the call, keeps the order", async () => {
      const engine = await open();
      try {
        const before = reading("d1", T, { msgId: "m-0" });
        expect(await engine.transaction((tx) => tx.readingsBatch.insertMany([before]))).toBe(1);
        const fresh = Array.from({ length: 5 }, (_, i) => reading("d1", T + 1 + i));
        const stored = await engine.transaction((tx) =>
          tx.readingsBatch.insertMany([
            fresh[0]!,
            { ...before }, // the same Kafka record again
            fresh[1]!,
            reading("d1", T + 9, { msgId: "m-0" }), // the same message at another offset
            fresh[2]!,
            { ...fresh[2]! }, // twice in this call
            reading("d2", T, { msgId: "m-0" }), // another device's m-0: another message
            fresh[3]!,
            fresh[4]!,
          ]),
        );
        expect(stored).toBe(6);
        const rows = await engine.read((q) => q.queries.readings("d1", 20));
        // newest first; ids follow the order given (the ts order here)
        expect(rows.map((r) => r.ts)).toEqual([T + 5, T + 4, T + 3, T + 2, T + 1, T]);
        expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
        expect(await engine.read((q) => q.queries.readings("d2", 5))).toHaveLength(1);
      } finally {
        await engine.close();
      }
    });

    test("readings.insertMany of more rows than one statement takes, and of none", async () => {
      const engine = await open();
      try {
        const rows = Array.from({ length: 2500 }, (_, i) => reading(`d${i % 3}`, T + i));
        expect(await engine.transaction((tx) => tx.readingsBatch.insertMany(rows))).toBe(2500);
        expect(await engine.transaction((tx) => tx.readingsBatch.insertMany(rows))).toBe(0);
        expect(await engine.transaction((tx) => tx.readingsBatch.insertMany([]))).toBe(0);
        const d0 = await engine.read((q) => q.queries.readings("d0", 1000));
        expect(d0).toHaveLength(834);
        expect(d0[0]!.ts).toBe(T + 2499);
      } finally {
        await engine.close();
      }
    });
  });
}
