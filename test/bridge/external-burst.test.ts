/**
 * `--mqtt-url` under load: the bridge has many messages in flight to Kafka at once (bounded by
 * the Receive Maximum it announced, which Mosquitto honours) and still acks them in order —
 * - a burst of thousands of QoS 1 messages lands in Kafka exactly once each, in order per device;
 * - a bridge dropped mid-burst loses nothing it acknowledged: Mosquitto delivers the rest again
 *   to the next session (at-least-once: what was in flight may be in Kafka twice, never more
 *   than the in-flight window).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import {
  connectExternal,
  startBridge,
  type Bridge,
  type ExternalSubscriber,
} from "../../src/bridge/index.ts";
import { createKafka } from "../../src/core/kafka/index.ts";
import { kafkajsBus } from "../../src/bus/index.ts";
import { silentLogger } from "../../src/core/log/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { useKafkaBroker } from "../support/kafka.ts";
import { startMosquitto } from "../support/mosquitto.ts";
import { tempDirs } from "../support/temp.ts";
import { readTopic } from "./read-topic.ts";

const kafkaBroker = useKafkaBroker("iot-ext-burst-kafka-");
const dirs = tempDirs("iot-ext-burst-");
const log = silentLogger;
let mosquitto: Awaited<ReturnType<typeof startMosquitto>>;
let bridge: Bridge;
beforeAll(async () => {
  mosquitto = await startMosquitto(dirs.make());
  const kafka = createKafka({ brokers: [kafkaBroker.broker.address], clientId: "burst", log });
  bridge = await startBridge({
    kafka: kafkajsBus(kafka),
    dataDir: dirs.make(),
    log,
    metrics: new MetricsRegistry(),
  });
});
afterAll(async () => {
  await bridge.stop();
  await mosquitto.stop();
  dirs.cleanup();
});

/** The bridge, counting how many `handle` calls are unresolved at once. */
function counting(inner: Bridge, onHandle?: (n: number) => void) {
  const c = { handled: 0, inFlight: 0, maxInFlight: 0 };
  const bridge: Bridge = {
    ...inner,
    handle(topic, payload, props) {
      c.handled++;
      c.maxInFlight = Math.max(c.maxInFlight, ++c.inFlight);
      onHandle?.(c.handled);
      return inner.handle(topic, payload, props).finally(() => c.inFlight--);
    },
  };
  return { bridge, c };
}

/** `count` QoS 1 readings `{n}` from each device, one MQTT 5 client each, 100 in flight. */
async function publish(devices: string[], from: number, count: number) {
  await Promise.all(
    devices.map(async (device) => {
      const c = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5 });
      for (let i = from; i < from + count; i += 100) {
        const batch = Array.from({ length: Math.min(100, from + count - i) }, (_, k) => i + k);
        await Promise.all(
          batch.map((n) =>
            c.publishAsync(`iot/${device}/telemetry`, JSON.stringify({ n }), {
              qos: 1,
              properties: { userProperties: { msg_id: `${device}-${n}` } },
            }),
          ),
        );
      }
      await c.endAsync();
    }),
  );
}

/** Kafka's `iot.telemetry` records per device (the `n`s in offset order) once all `count` are there. */
async function sequences(devices: string[], count: number) {
  const per = new Map<string, number[]>();
  for (let attempt = 0; attempt < 30; attempt++) {
    const records = await readTopic(kafkaBroker.broker.address, "iot.telemetry", 0, 0);
    per.clear();
    for (const d of devices) per.set(d, []);
    for (const r of records.sort((a, b) => Number(a.offset) - Number(b.offset)))
      per.get(r.key!)?.push(JSON.parse(r.value.toString()).n);
    if ([...per.values()].every((ns) => new Set(ns).size === count)) break;
    await Bun.sleep(500);
  }
  return per;
}

const range = (count: number) => Array.from({ length: count }, (_, n) => n);

describe("external bridge under load (Mosquitto)", () => {
  test("a burst lands exactly once, in order per device, with many messages in flight", async () => {
    const devices = ["burst-a", "burst-b", "burst-c", "burst-d"];
    const perDevice = 1000;
    const receiveMaximum = 200;
    const { bridge: b, c } = counting(bridge);
    const opts = { clientId: "bridge-burst", receiveMaximum };
    // the session exists; half the burst queues at Mosquitto while the bridge is away
    await (await connectExternal(mosquitto.url, b, log, undefined, opts)).endAsync();
    await publish(devices, 0, perDevice / 2);
    const client = await connectExternal(mosquitto.url, b, log, undefined, opts);
    try {
      await publish(devices, perDevice / 2, perDevice / 2);
      const per = await sequences(devices, perDevice);
      for (const d of devices) expect({ d, ns: per.get(d) }).toEqual({ d, ns: range(perDevice) });
      expect(c.maxInFlight).toBeGreaterThan(1);
      expect(c.maxInFlight).toBeLessThanOrEqual(receiveMaximum);
    } finally {
      await client.endAsync();
    }
  }, 60_000);

  test("a bridge dropped mid-burst loses nothing: Mosquitto redelivers what was not acked", async () => {
    const devices = ["drop-a", "drop-b", "drop-c"];
    const perDevice = 1000;
    const receiveMaximum = 300;
    const opts = { clientId: "bridge-drop", receiveMaximum };
    let first: ExternalSubscriber | undefined;
    let dropped: Promise<void> | undefined;
    const { bridge: b } = counting(bridge, (handled) => {
      // gone without a word, messages still in flight to Kafka and not acked
      if (handled === 1200) dropped = first!.endAsync(true);
    });
    first = await connectExternal(mosquitto.url, b, log, undefined, opts);
    await publish(devices, 0, perDevice);
    for (let i = 0; i < 600 && !dropped; i++) await Bun.sleep(50);
    expect(dropped).toBeDefined();
    await dropped;
    const second = await connectExternal(mosquitto.url, bridge, log, undefined, opts);
    try {
      const per = await sequences(devices, perDevice);
      let twice = 0;
      for (const d of devices) {
        const ns = per.get(d)!;
        expect({ d, ns: [...new Set(ns)].sort((x, y) => x - y) }).toEqual({
          d,
          ns: range(perDevice),
        });
        twice += ns.length - perDevice;
      }
      // Redelivered = what Mosquitto still counted in flight to us at the drop: handled but not
      // acked, or acked on a socket it never read again. Mosquitto 2.0.11 keeps up to about
      // twice the Receive Maximum in flight (it overshoots), so that is the bound.
      expect(twice).toBeLessThanOrEqual(2 * receiveMaximum);
    } finally {
      await second.endAsync();
    }
  }, 60_000);
});
