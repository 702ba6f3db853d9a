/**
 * A quiet `iot serve` gives back start-up's compiled code (src/core/memory/idle-shrink.ts): a few
 * seconds after it is ready, the functions start-up ran no longer hold their bytecode in the heap,
 * and /metrics counts the shrink. Under a steady load it does not shrink (hot code would be
 * compiled again). When it shrinks again after a load is src/core/memory/idle-shrink.test.ts's.
 */
import { afterAll, expect, test } from "bun:test";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";
import { publishSteadily } from "../../bench/mqtt-load.ts";
import { startProbedServe } from "./heap.ts";

const dirs = tempDirs("iot-idle-shrink-");
afterAll(() => dirs.cleanup());

async function shrinks(httpPort: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${httpPort}/metrics`).then((r) => r.text());
  const line = text.split("\n").find((l) => l.startsWith("iot_memory_shrinks_total"));
  return line ? Number(line.split(" ")[1]) : 0;
}

test("a quiet server drops start-up's code once, and not while readings stream in", async () => {
  const { serve, liveHeap } = await startProbedServe(dirs.make());
  try {
    const ready = await liveHeap();
    // start-up ran thousands of functions; each holds its bytecode (a FunctionCodeBlock)
    const atReady = ready.objectTypeCounts.FunctionCodeBlock ?? 0;
    expect(atReady).toBeGreaterThan(800);

    // asked once a second: /metrics 20 times a second is enough work to keep it from being quiet
    await waitFor(async () => (await shrinks(serve.httpPort)) >= 1, 30_000, "a shrink", 1000);
    const quiet = await liveHeap();
    expect(quiet.objectTypeCounts.FunctionCodeBlock ?? 0).toBeLessThan(atReady / 3);
    expect(quiet.heapSize).toBeLessThan(ready.heapSize);

    // 8 s of 500 QoS 1 readings/s: busy all along, so no shrink
    const before = await shrinks(serve.httpPort);
    await publishSteadily(`mqtt://127.0.0.1:${serve.mqttPort}`, "idle-shrink-test", 500, 8);
    expect(await shrinks(serve.httpPort)).toBe(before);
  } finally {
    await serve.stop();
  }
}, 90_000);
