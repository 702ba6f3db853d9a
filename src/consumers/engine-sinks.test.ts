/**
 * The readings and devices sinks on the async store, through the runner's batch
 * transaction, on both engines: a redelivered batch is stored once, a bad record is rejected
 * with its reason while the rest is stored, a failing batch leaves nothing.
 */
import { describe, expect, test } from "bun:test";
import { useStoreEngines } from "../../test/support/store-engines.ts";
import { EventBus } from "../events/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import { devicesSink } from "./devices.ts";
import { readingsSink } from "./readings.ts";
import { handleInBatch, type SinkRecord } from "./run-sink.ts";

const engines: Record<string, () => Promise<StoreEngine>> = useStoreEngines("iot-engine-sinks-", {
  pool: 2,
});

const T = 1_800_000_000_000;
const record = (topic: string, offset: number, key: string | null, value: object | string) =>
  ({
    topic,
    partition: 0,
    offset,
    epoch: 0,
    key,
    value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
    headers: {},
    timestamp: T + offset,
  }) satisfies SinkRecord;

for (const [name, open] of Object.entries(engines)) {
  describe(`sinks on the async store: ${name}`, () => {
    test("readings: a redelivered batch once; a bad record rejected, the rest stored", async () => {
      const engine = await open();
      try {
        const sink = readingsSink(engine, new EventBus());
        const batch = [
          record("iot.telemetry", 0, "pi", { ts: T, temperature: 21, msg_id: "a" }),
          record("iot.telemetry", 1, "pi", "not json"),
          record("iot.telemetry", 2, "pi", { ts: T + 5, temperature: 22, msg_id: "b" }),
          // the same message at another offset
          record("iot.telemetry", 3, "pi", { ts: T, temperature: 21, msg_id: "a" }),
        ];
        const rejected = await handleInBatch(sink, batch);
        expect(rejected.map((r) => r.record.offset)).toEqual([1]);
        expect(rejected[0]!.reason).not.toBe("");
        expect(await handleInBatch(sink, batch)).toHaveLength(1); // redelivered
        const rows = await engine.read((q) => q.queries.readings("pi", 10));
        expect(rows.map((r) => [r.ts, r.msg_id])).toEqual([
          [T + 5, "b"],
          [T, "a"],
        ]);
        const [device] = await engine.read((q) => q.queries.devices());
        expect(device).toMatchObject({ id: "pi", last_seen: T + 5, online: true });
      } finally {
        await engine.close();
      }
    });

    test("devices: a coffee report keeps its device row and its trail", async () => {
      const engine = await open();
      try {
        const sink = devicesSink(engine, new EventBus());
        const coffee = (offset: number, x: number) =>
          record("coffee", offset, null, { id: "3DF92-192", x, y: 2, status: "Active" });
        expect(await handleInBatch(sink, [coffee(0, 1), coffee(1, 2)])).toEqual([]);
        const trails = await engine.transaction((tx) => tx.positions.trails(["3DF92-192"]));
        expect(trails.get("3DF92-192")!.map((p) => p.x)).toEqual([1, 2]);
        const [device] = await engine.read((q) => q.queries.devices());
        expect(device).toMatchObject({ id: "3DF92-192", kind: "coffee", x: 2, status: "Active" });
      } finally {
        await engine.close();
      }
    });
  });
}
