import { afterAll, describe, expect, test } from "bun:test";
import { tempDirs } from "../../../test/support/temp.ts";
import { DurablePersistence, type QueuedPacket } from "./durable.ts";

const dirs = tempDirs("iot-mqtt-durable-");
afterAll(() => dirs.cleanup());

const limits = { maxBytes: 1 << 20, maxBytesPerPrefix: 1 << 20 };
async function open(dir: string, maxQueuedPerSession = 100, compactBytes?: number) {
  const p = new DurablePersistence({ dir, retained: limits, maxQueuedPerSession, compactBytes });
  await p.setup({ id: "broker" });
  return p;
}
let counter = 0;
const packet = (topic: string, payload: string): QueuedPacket => ({
  cmd: "publish",
  topic,
  payload: Buffer.from(payload),
  qos: 1,
  retain: false,
  dup: false,
  brokerId: "broker",
  brokerCounter: ++counter,
});
const queued = async (p: DurablePersistence, id: string) =>
  (await Array.fromAsync(p.outgoingStream({ id }))) as QueuedPacket[];

describe("durable aedes persistence", () => {
  test("retained messages, sessions and their queues come back in a new instance", async () => {
    const dir = dirs.make();
    const a = await open(dir);
    await a.storeRetained({ ...packet("iot/d1/command", "Inactive"), retain: true });
    await a.storeRetained({ ...packet("iot/d2/command", "Active"), retain: true });
    await a.storeRetained({ ...packet("iot/d2/command", ""), retain: true }); // deleted
    await a.addSubscriptions({ id: "d1" }, [{ topic: "iot/d1/command", qos: 1 }]);
    await a.addSubscriptions({ id: "gone" }, [{ topic: "x", qos: 1 }]);
    await a.cleanSubscriptions({ id: "gone" });
    const subs = await a.subscriptionsByTopic("iot/d1/command");
    const [m1, m2, m3] = ["one", "two", "three"].map((s) => packet("iot/d1/command", s));
    for (const m of [m1!, m2!, m3!]) await a.outgoingEnqueueCombi(subs, m);
    await a.outgoingUpdate({ id: "d1" }, { ...m1!, messageId: 7 }); // sent…
    await a.outgoingClearMessageId({ id: "d1" }, { messageId: 7 }); // …and acknowledged
    await a.outgoingUpdate({ id: "d1" }, { ...m2!, messageId: 8 }); // sent, no PUBACK yet
    // no destroy(): a kill -9 leaves what was written
    await Bun.sleep(20);

    const b = await open(dir);
    expect([...b.retained.all()].map((r) => `${r.topic}=${r.payload}`)).toEqual([
      "iot/d1/command=Inactive",
    ]);
    expect(await b.subscriptionsByClient({ id: "d1" })).toMatchObject([
      { topic: "iot/d1/command", qos: 1 },
    ]);
    expect(await b.subscriptionsByClient({ id: "gone" })).toEqual([]);
    expect((await b.subscriptionsByTopic("iot/d1/command")).map((s) => s.clientId)).toEqual(["d1"]);
    const q = await queued(b, "d1");
    expect(q.map((p) => [p.payload.toString(), p.messageId])).toEqual([
      ["two", 8],
      ["three", undefined],
    ]);
    // the restored packet is matched again by its original broker id and counter
    await b.outgoingUpdate({ id: "d1" }, { ...q[1]!, messageId: 9 });
    expect((await b.outgoingClearMessageId({ id: "d1" }, { messageId: 9 }))?.payload).toEqual(
      Buffer.from("three"),
    );
    await b.destroy();
    await a.destroy();
  });

  test("a session's queue keeps its newest packets; compaction keeps the state", async () => {
    const dir = dirs.make();
    const a = await open(dir, 3, 4096);
    await a.addSubscriptions({ id: "s" }, [{ topic: "t", qos: 1 }]);
    for (let i = 0; i < 200; i++)
      await a.outgoingEnqueueCombi([{ clientId: "s" }], packet("t", `m${i}`.padEnd(100, ".")));
    expect((await queued(a, "s")).map((p) => p.payload.toString().replace(/\.+$/, ""))).toEqual([
      "m197",
      "m198",
      "m199",
    ]);
    expect(a.queuedPackets).toBe(3);
    await a.destroy();
    const b = await open(dir, 3);
    expect((await queued(b, "s")).map((p) => p.payload.toString().replace(/\.+$/, ""))).toEqual([
      "m197",
      "m198",
      "m199",
    ]);
    await b.destroy();
  });

  test("QoS 1 publishes find the persistent sessions' subscriptions, and nobody without one", async () => {
    const p = await open(dirs.make());
    const matched = async (topic: string) =>
      (await p.subscriptionsByTopic(topic)).map((s) => s.clientId);
    expect(await matched("iot/d1/command")).toEqual([]);
    await p.outgoingEnqueueCombi([], packet("iot/d1/command", "nobody")); // nothing queued
    expect(p.queuedPackets).toBe(0);
    await p.addSubscriptions({ id: "d1" }, [{ topic: "iot/+/command", qos: 1 }]);
    expect(await matched("iot/d1/command")).toEqual(["d1"]);
    await p.removeSubscriptions({ id: "d1" }, ["iot/+/command"]);
    expect(await matched("iot/d1/command")).toEqual([]);
    await p.addSubscriptions({ id: "d2" }, [{ topic: "iot/#", qos: 1 }]);
    expect(await matched("iot/d1/command")).toEqual(["d2"]);
    await p.cleanSubscriptions({ id: "d2" });
    expect(await matched("iot/d1/command")).toEqual([]);
    await p.destroy();
  });
});
