/**
 * A record the Kafka broker refuses for good (here: over a small max.message.bytes) is dropped
 * and counted — it does not make the bridge believe Kafka is down, nor block what follows.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { useKafkaBroker } from "../support/kafka.ts";
import { tempDirs } from "../support/temp.ts";
import { readTopic } from "./read-topic.ts";
import { startBridgeStack } from "./stack.ts";

const kafka = useKafkaBroker("iot-reject-kafka-", { maxMessageBytes: 64 << 10 });
const dirs = tempDirs("iot-reject-");
let stack: Awaited<ReturnType<typeof startBridgeStack>>;
beforeAll(async () => {
  stack = await startBridgeStack(kafka.broker.address, dirs.make(), {
    bridge: { maxRecordBytes: 1 << 20 }, // lets a 100 KB image through to Kafka's own check
  });
});
afterAll(async () => {
  await stack.stop();
  dirs.cleanup();
});

describe("records Kafka refuses", () => {
  test("are dropped and counted; the others in their batch and after them land", async () => {
    const c = await mqtt.connectAsync(stack.url, { clientId: "cam-r" });
    await Promise.all([
      c.publishAsync("iot/cam-r/image", Buffer.alloc(1000, 1), { qos: 1 }),
      c.publishAsync("iot/cam-r/image", Buffer.alloc(100_000, 2), { qos: 1 }),
      c.publishAsync("iot/cam-r/image", Buffer.alloc(1000, 3), { qos: 1 }),
    ]);
    await c.publishAsync("iot/cam-r/image", Buffer.alloc(1000, 4), { qos: 1 });
    await c.endAsync();
    const images = await readTopic(kafka.broker.address, "iot.image", 3);
    expect(images.map((r) => r.value[0]).sort()).toEqual([1, 3, 4]);
    expect(stack.bridge.counts()).toMatchObject({ rejected: 1, spooled: 0 });
    expect(stack.bridge.health().state).toBe("up");
  }, 30_000);
});
