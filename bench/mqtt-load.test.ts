import { afterAll, beforeAll, expect, test } from "bun:test";
import type { MqttBroker } from "../src/mqtt/index.ts";
import { startLoopbackMqttBroker } from "../test/support/mqtt-broker.ts";
import { runLoad } from "./mqtt-load.ts";

let broker: MqttBroker;
beforeAll(async () => {
  ({ broker } = await startLoopbackMqttBroker());
});
afterAll(() => broker.stop());

for (const qos of [0, 1] as const)
  test(`QoS ${qos}: every message is received, with a rate and latencies`, async () => {
    const r = await runLoad({
      url: `mqtt://127.0.0.1:${broker.port}`,
      qos,
      count: 500,
      publishers: 2,
      window: 20,
    });
    expect(r).toMatchObject({ sent: 500, received: 500 });
    expect(r.msgsPerSecond).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
  });

test("paced: the offered rate bounds the throughput", async () => {
  const r = await runLoad({
    url: `mqtt://127.0.0.1:${broker.port}`,
    qos: 1,
    count: 200,
    publishers: 2,
    window: 20,
    perSecond: 1000,
  });
  expect(r.received).toBe(200);
  expect(r.seconds).toBeGreaterThan(0.15);
  expect(r.msgsPerSecond).toBeLessThan(1300);
});
