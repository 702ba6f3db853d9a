/**
 * iot's embedded MQTT broker alone: src/mqtt's startMqttBroker with the options `iot serve`
 * gives it on loopback (open mode, default packet limit), but no publish hook — so no bridge,
 * no Kafka, no consumers. What the broker itself costs, for bench/mqtt-ingest.
 *
 *   bun bench/peers/mqtt-broker-alone.ts <port>
 *
 * Prints "listening <port>" when ready; stops on SIGTERM or SIGINT.
 */
import { silentLogger } from "../../src/core/log/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { startMqttBroker } from "../../src/mqtt/index.ts";

const port = Number(process.argv[2] ?? 1883);
const broker = await startMqttBroker({
  host: "127.0.0.1",
  port,
  log: silentLogger,
  metrics: new MetricsRegistry(),
});
console.log(`listening ${broker.port}`);
const stop = () => void broker.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
