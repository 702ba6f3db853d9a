/**
 * Acknowledged means durable: acks=-1 records survive `kill -9` of the broker process, and after
 * a restart a consumer reads exactly those records, in order, none twice.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { kcatRead } from "../support/kcat.ts";
import { startServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-durable-");
afterAll(() => dirs.cleanup());

describe("durability", () => {
  test("kill -9 during an acks=-1 load loses no acknowledged record and duplicates none", async () => {
    const dataDir = dirs.make();
    const first = await startServeProcess({ dataDir, role: "brokers" });
    const kafka = new Kafka({
      brokers: [first.kafkaAddress],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: "durable",
      acks: -1,
      messages: [{ partition: 0, value: "warm-up" }],
    });

    const acked: string[] = [];
    let stopped = false;
    const load = (async () => {
      for (let batch = 0; !stopped; batch++) {
        const values = Array.from(
          { length: 50 },
          (_, i) => `r${String(batch * 50 + i).padStart(7, "0")}`,
        );
        try {
          await producer.send({
            topic: "durable",
            acks: -1,
            messages: values.map((value) => ({ partition: 0, value })),
          });
          acked.push(...values);
        } catch {
          return; // the broker is gone: what was not acknowledged may or may not be stored
        }
      }
    })();
    while (acked.length < 2000) await Bun.sleep(20);
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    stopped = true;
    await load;
    await producer.disconnect().catch(() => {});

    const second = await startServeProcess({ dataDir, role: "brokers" });
    try {
      const stored = (await kcatRead(second.kafkaAddress, "durable", { partition: 0 })).slice(1); // after warm-up
      expect(stored.slice(0, acked.length)).toEqual(acked); // every acknowledged one, in order
      expect(new Set(stored).size).toBe(stored.length); // none twice
      // Whatever was written but not acknowledged continues the same sequence.
      stored.forEach((v, i) => expect(v).toBe(`r${String(i).padStart(7, "0")}`));
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);
});
