import { afterAll, beforeAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import type { MqttBroker } from "../src/mqtt/index.ts";
import { startLoopbackMqttBroker } from "../test/support/mqtt-broker.ts";
import { publishWindow, type Take } from "./publish-window.ts";

/** what the embedded broker saw: every payload, and per client the most PUBLISHes awaiting ack */
const seen: string[] = [];
const pending = new Map<string, number>();
const maxPending = new Map<string, number>();
/** `fail` in a payload: the hook refuses it (no PUBACK, the connection is closed) */
let broker: MqttBroker;
beforeAll(async () => {
  ({ broker } = await startLoopbackMqttBroker({
    onPublish(packet, client, done) {
      const payload = packet.payload.toString();
      seen.push(payload);
      const n = (pending.get(client.id) ?? 0) + 1;
      pending.set(client.id, n);
      maxPending.set(client.id, Math.max(n, maxPending.get(client.id) ?? 0));
      // acks come back later and out of step, as a broker waiting on fsync rounds does
      setTimeout(() => {
        pending.set(client.id, pending.get(client.id)! - 1);
        done(payload.includes("fail") ? new Error("refused") : undefined);
      }, seen.length % 3);
    },
  }));
});
afterAll(() => broker.stop());

const connect = (id: string) =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: id, reconnectPeriod: 0 });

/** `count` numbered messages shared by whoever takes them */
function counter(prefix: string, count: number) {
  let next = 0;
  const take: Take = () =>
    next < count ? { topic: `iot/${prefix}/telemetry`, payload: `${prefix}:${next++}` } : undefined;
  return take;
}

test("QoS 1: every message published once and acknowledged once, never more than the window in flight", async () => {
  const clients = await Promise.all([connect("win-a"), connect("win-b")]);
  const pubacks = new Map<string, number>();
  for (const c of clients)
    c.on("packetreceive", (p) => {
      if (p.cmd === "puback")
        pubacks.set(c.options.clientId!, (pubacks.get(c.options.clientId!) ?? 0) + 1);
    });
  try {
    const take = counter("win", 3_000);
    const acked = await Promise.all(clients.map((c) => publishWindow(c, 40, take)));
    const mine = seen.filter((p) => p.startsWith("win:"));
    expect(new Set(mine).size).toBe(3_000); // every index, each once
    expect(mine.length).toBe(3_000);
    expect(acked[0]! + acked[1]!).toBe(3_000);
    // the count resolved is the PUBACKs that came back, per client
    expect(acked).toEqual([pubacks.get("win-a")!, pubacks.get("win-b")!]);
    expect(acked[0]).toBeGreaterThan(0);
    expect(acked[1]).toBeGreaterThan(0);
    // the window was used to the full, and never exceeded
    expect(maxPending.get("win-a")).toBe(40);
    expect(maxPending.get("win-b")).toBe(40);
  } finally {
    await Promise.all(clients.map((c) => c.endAsync()));
  }
});

test("QoS 0: mqtt.js calls back inside publish; the window loops instead of recursing", async () => {
  const c = await connect("win-q0");
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  let deepest = 0;
  const take = counter("q0", 20_000);
  let calls = 0;
  const measuredTake: Take = () => {
    if (calls++ % 500 === 0) deepest = Math.max(deepest, new Error().stack!.split("\n").length);
    return take();
  };
  try {
    const sent = await publishWindow(c, 100, measuredTake, 0);
    expect(sent).toBe(20_000);
    expect(deepest).toBeLessThan(60); // no frame per message on the stack
    const deadline = Date.now() + 10_000;
    while (seen.filter((p) => p.startsWith("q0:")).length < 20_000 && Date.now() < deadline)
      await Bun.sleep(20);
    expect(new Set(seen.filter((p) => p.startsWith("q0:"))).size).toBe(20_000);
  } finally {
    Error.stackTraceLimit = limit;
    await c.endAsync();
  }
});

test("a refused message: the window rejects (no hang) and sends nothing new after it", async () => {
  const c = await connect("win-fail");
  let next = 0;
  const take: Take = () =>
    next < 1_000
      ? { topic: "iot/f/telemetry", payload: next++ === 50 ? "f:fail" : `f:${next}` }
      : undefined;
  try {
    await expect(publishWindow(c, 10, take)).rejects.toThrow(/closed/);
    expect(next).toBeLessThan(100); // stopped taking soon after the failure
  } finally {
    await c.endAsync(true);
  }
});

test("MQTT 5: a PUBACK with an error reason is counted as a failure, not an ack", async () => {
  // protected mode: the broker answers a refused topic with PUBACK 0x87 and keeps the connection
  const { broker: guarded } = await startLoopbackMqttBroker({
    authenticate: () => ({}),
    allowPublish: (_, topic) => !topic.endsWith("/deny"),
  });
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${guarded.port}`, {
    clientId: "win-v5",
    reconnectPeriod: 0,
    protocolVersion: 5,
  });
  let next = 0;
  const take: Take = () =>
    next < 100
      ? { topic: next++ === 20 ? "iot/v5/deny" : "iot/v5/telemetry", payload: "{}" }
      : undefined;
  try {
    await expect(publishWindow(c, 10, take)).rejects.toThrow();
    expect(c.connected).toBe(true);
    expect(next).toBeLessThan(40);
  } finally {
    await c.endAsync(true);
    await guarded.stop();
  }
});

test("a paced take: waits when told, then goes on", async () => {
  const c = await connect("win-paced");
  const t0 = performance.now();
  let next = 0;
  const take: Take = () => {
    if (next >= 100) return undefined;
    const wait = t0 + next * 2 - performance.now(); // 500/s
    return wait > 1 ? wait : { topic: "iot/p/telemetry", payload: `p:${next++}` };
  };
  try {
    expect(await publishWindow(c, 5, take)).toBe(100);
    expect(performance.now() - t0).toBeGreaterThan(150);
  } finally {
    await c.endAsync();
  }
});

test("window < 1 is refused", async () => {
  const c = await connect("win-zero");
  try {
    expect(() => publishWindow(c, 0, counter("z", 1))).toThrow(RangeError);
  } finally {
    await c.endAsync();
  }
});
