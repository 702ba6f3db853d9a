/**
 * mqtt-packet's writer would keep a 2-byte Buffer for each of the 65,536 packet ids from the first
 * PUBACK `iot serve` sends on (~5 MB of heap, for good): serve turns that cache off
 * (src/core/mqtt-packet/number-cache.ts). Counted in the server's live heap after QoS 1 readings.
 */
import { afterAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import { tempDirs } from "../support/temp.ts";
import { startProbedServe } from "./heap.ts";

const dirs = tempDirs("iot-heap-");
afterAll(() => dirs.cleanup());

test("after QoS 1 readings the server's heap holds no cache of 65,536 number buffers", async () => {
  const { serve, liveHeap } = await startProbedServe(dirs.make());
  try {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
      clientId: "number-cache-test",
      reconnectPeriod: 0,
    });
    try {
      const acked: Promise<unknown>[] = [];
      for (let i = 0; i < 100; i++)
        acked.push(
          c.publishAsync(
            `iot/dev-${i % 5}/telemetry`,
            JSON.stringify({ ts: Date.now(), temperature: 21 }),
            { qos: 1 },
          ),
        );
      await Promise.all(acked); // the server wrote 100 PUBACKs, each with its packet id
    } finally {
      await c.endAsync();
    }
    const heap = await liveHeap();
    // the probe sees the heap: a server holds tens of thousands of objects
    expect(heap.objectCount).toBeGreaterThan(10_000);
    // with the cache: 65,536 more Uint8Arrays (~65,700 in all); without it, a few hundred
    expect(heap.objectTypeCounts.Uint8Array ?? 0).toBeLessThan(10_000);
  } finally {
    await serve.stop();
  }
}, 60_000);
