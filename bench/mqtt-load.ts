/**
 * The MQTT load the ingest benchmarks share: P mqtt.js publisher connections, each with a
 * bounded number of publishes in flight, and one subscriber that takes the publish → receive
 * latency from the send time in each payload (same process, same clock).
 */
import mqtt from "mqtt";
import { cheapClientOptions, publishWindow } from "./publish-window.ts";
import { rate, summarize } from "./stats.ts";

export interface LoadOptions {
  url: string;
  qos: 0 | 1;
  count: number;
  publishers: number;
  /** publishes in flight per publisher (QoS 1: awaiting PUBACK; QoS 0: awaiting the socket) */
  window: number;
  /** how long to wait for stragglers once nothing arrives any more */
  idleMs?: number;
  /** offer this many messages/s in all (paced), instead of as fast as the window allows */
  perSecond?: number;
}

export interface LoadResult {
  sent: number;
  received: number;
  /** first publish → last message received */
  seconds: number;
  msgsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Devices `iot/bench-<n>/telemetry`, so `iot serve` bridges them like real readings. */
export const topicOf = (publisher: number) => `iot/bench-${publisher}/telemetry`;

/**
 * QoS 1 readings of one device (`iot/<device>/telemetry`) at a steady `perSecond` for `seconds`,
 * from one mqtt.js client: the count acknowledged.
 */
export async function publishSteadily(
  url: string,
  device: string,
  perSecond: number,
  seconds: number,
): Promise<number> {
  const c = await mqtt.connectAsync(url, { clientId: device, reconnectPeriod: 0 });
  const start = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < perSecond * seconds; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 1) await Bun.sleep(wait);
    const payload = `{"ts":${Date.now()},"temperature":21}`;
    pending.push(c.publishAsync(`iot/${device}/telemetry`, payload, { qos: 1 }));
  }
  await Promise.all(pending);
  await c.endAsync();
  return pending.length;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const tag = Math.random().toString(36).slice(2, 8);
  const sub = await mqtt.connectAsync(o.url, {
    ...cheapClientOptions,
    clientId: `sub-${tag}`,
    reconnectPeriod: 0,
  });
  const latencies: number[] = [];
  let last = 0;
  sub.on("message", (_topic, payload) => {
    last = performance.now();
    latencies.push(last - (JSON.parse(payload.toString()) as { sent: number }).sent);
  });
  await sub.subscribeAsync("iot/+/telemetry", { qos: o.qos });
  const pubs = await Promise.all(
    Array.from({ length: o.publishers }, (_, i) =>
      mqtt.connectAsync(o.url, {
        ...cheapClientOptions,
        clientId: `pub-${tag}-${i}`,
        reconnectPeriod: 0,
      }),
    ),
  );
  try {
    const t0 = performance.now();
    let next = 0;
    const acks = await Promise.all(
      pubs.map((c, p) => {
        const topic = topicOf(p);
        return publishWindow(
          c,
          o.window,
          () => {
            if (next >= o.count) return undefined;
            if (o.perSecond) {
              const wait = t0 + (next * 1000) / o.perSecond - performance.now();
              if (wait > 1) return wait;
            }
            const i = next++;
            const payload = `{"ts":${Date.now()},"temperature":${20 + (i % 10)},"sent":${performance.now()}}`;
            return { topic, payload };
          },
          o.qos,
        );
      }),
    );
    const sent = acks.reduce((a, b) => a + b, 0);
    if (sent !== o.count) throw new Error(`${sent} of ${o.count} publishes acknowledged`);
    const idleMs = o.idleMs ?? 3000;
    let seen = -1;
    let quietSince = performance.now();
    while (latencies.length < o.count && performance.now() - quietSince < idleMs) {
      if (latencies.length !== seen) [seen, quietSince] = [latencies.length, performance.now()];
      await Bun.sleep(10);
    }
    const seconds = ((last || performance.now()) - t0) / 1000;
    const s = summarize(latencies);
    return {
      sent: o.count,
      received: latencies.length,
      seconds,
      msgsPerSecond: rate(latencies.length, seconds),
      p50Ms: s.p50,
      p99Ms: s.p99,
    };
  } finally {
    await Promise.all([...pubs, sub].map((c) => c.endAsync(true)));
  }
}
