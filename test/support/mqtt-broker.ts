import { silentLogger } from "../../src/core/log/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { startMqttBroker, type MqttBrokerOptions } from "../../src/mqtt/index.ts";

/** the embedded MQTT broker on a free loopback port, quiet, with its own metrics; `opts` win */
export async function startLoopbackMqttBroker(opts: Partial<MqttBrokerOptions> = {}) {
  const metrics = opts.metrics ?? new MetricsRegistry();
  const broker = await startMqttBroker({
    host: "127.0.0.1",
    port: 0,
    log: silentLogger,
    ...opts,
    metrics,
  });
  return { broker, metrics, url: `mqtt://127.0.0.1:${broker.port}` };
}
