/**
 * Smoke run of the kill-serve fault scenario with its quick durations: `iot serve` killed -9
 * once during an MQTT 5 QoS 1 load and restarted; every PUBACKed reading is stored exactly once.
 * The full run and the report are `npm run chaos`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cleanupAll } from "../../bench/chaos/lib.ts";
import { killServe } from "../../bench/chaos/kill-serve.ts";

afterAll(() => cleanupAll());

describe("chaos: kill -9 of iot serve under load", () => {
  test("every acknowledged reading stored once (quick)", async () => {
    const r = await killServe.run({ quick: true, log: () => {} });
    expect(r.acknowledged).toBeGreaterThan(1000);
    // the notes say where a loss or a copy came from
    expect({ lost: r.lost, duplicated: r.duplicated, notes: r.notes }).toMatchObject({
      lost: 0,
      duplicated: 0,
    });
  }, 60_000);
});
