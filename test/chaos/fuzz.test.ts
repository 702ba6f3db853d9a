/**
 * Short run of the fuzz chaos scenario: up to 20,000 mutated Kafka, MQTT and HTTP frames per
 * listener at one real `iot serve` process. It must stay alive with bounded RSS and fds, log no
 * ERROR, and normal clients (kafkajs, mqtt.js, fetch) must still work, with the Kafka log intact
 * after a restart. The full run (≥ 1 M frames per listener) is `npm run chaos -- fuzz`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { runFuzz } from "../../bench/chaos/fuzz/index.ts";
import { cleanupAll } from "../../bench/chaos/lib.ts";

afterAll(() => cleanupAll());

describe("chaos: fuzzing every listener of iot serve", () => {
  test("tens of thousands of frames later it is alive, bounded and still works", async () => {
    const frames = 20_000;
    // capped in time: a busy machine sends fewer frames, never a slower test
    const r = await runFuzz({ frames, seed: 20261202, maxMs: 25_000, log: () => {} });
    const failures = r.failures.filter((f) => !f.includes("frames in time"));
    // the failures name what broke (dead process, RSS, fds, health, a client that failed)
    expect({ alive: r.alive, failures, errors: r.errors }).toEqual({
      alive: true,
      failures: [],
      errors: [],
    });
    for (const s of r.stats) expect(s.frames).toBeGreaterThan(5_000);
    expect(r.canary).toEqual({ sent: 203, acknowledged: 203, stored: 203, duplicated: 0 });
    // the server really read the frames: it handled Kafka requests and refused bad ones
    expect(r.counters.iot_kafka_requests_total).toBeGreaterThan(1000);
    expect(r.counters.iot_kafka_bad_requests_total).toBeGreaterThan(10);
  }, 120_000);
});
