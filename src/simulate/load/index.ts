/**
 * Load mode (`--rate`): telemetry readings spread over many virtual devices
 * (`iot/<device>/telemetry`, QoS 1) on a few MQTT connections, at an aggregate rate. Each
 * reading's ack latency is the time from publish to PUBACK — which the embedded broker sends
 * only once Kafka has the record.
 */
import type { MqttClient } from "mqtt";
import type { Logger } from "../../core/log/index.ts";
import { closeMqtt, connectMqtt } from "../mqtt.ts";
import type { SimulateOptions } from "../options.ts";
import { Pacer } from "./pacer.ts";
import { LoadStats } from "./stats.ts";

/** at most this many unacknowledged publishes per connection (MQTT packet ids are 16 bit) */
const maxInflight = 4000;
const tickMs = 5;

export interface LoadRun {
  stats: LoadStats;
  stop(): Promise<void>;
}

export async function startLoad(o: SimulateOptions, log: Logger): Promise<LoadRun> {
  const clients: MqttClient[] = [];
  try {
    for (let c = 0; c < o.loadConnections; c++)
      clients.push(await connectMqtt(o, `sim-load-${process.pid}-${c}`));
  } catch (e) {
    await Promise.all(clients.map((c) => closeMqtt(c)));
    throw e;
  }
  const inflight = new Array<number>(clients.length).fill(0);
  const started = performance.now();
  const stats = new LoadStats(Date.now());
  const pacer = new Pacer(o.rate, started);
  // protected mode: a device token publishes under its own id only, so every reading uses it
  const topicOf = (n: number) =>
    o.device ? `iot/${o.device.id}/telemetry` : `iot/sim-load-${n}/telemetry`;
  const topics = Array.from({ length: o.device ? 1 : o.loadDevices }, (_, n) => topicOf(n));
  let seq = 0;
  const run = `sim-${process.pid.toString(36)}-${Date.now().toString(36)}`;
  let skipped = 0;
  let firstError = true;
  const tick = () => {
    const n = pacer.due(performance.now());
    for (let i = 0; i < n; i++) {
      const dev = seq++ % o.loadDevices;
      const c = dev % clients.length;
      if (inflight[c]! >= maxInflight) {
        skipped++;
        continue;
      }
      inflight[c]!++;
      stats.sent++;
      const t0 = performance.now();
      // a msg_id per reading, as iot device sends: a QoS 1 resend after a reconnect is stored once
      const payload = `{"msg_id":"${run}-${seq}","temperature":${20 + (seq % 100) / 10},"humidity":${40 + (seq % 50) / 5}}`;
      clients[c]!.publish(topics[dev % topics.length]!, payload, { qos: 1 }, (err) => {
        inflight[c]!--;
        if (!err) return stats.ack(performance.now() - t0);
        stats.errors++;
        if (firstError) log.warn("publish failed", { err: err.message });
        firstError = false;
      });
    }
    stats.behind = skipped + pacer.behind;
  };
  const timer = setInterval(tick, tickMs);
  return {
    stats,
    async stop() {
      clearInterval(timer);
      // give the readings in flight a moment to be acknowledged, then close
      const deadline = performance.now() + 5000;
      while (inflight.some((n) => n > 0) && performance.now() < deadline) await Bun.sleep(20);
      await Promise.all(clients.map((c) => closeMqtt(c)));
    },
  };
}
