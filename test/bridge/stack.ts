/** The embedded MQTT broker with the bridge in its publish hook, against a given Kafka. */
import { Kafka, logLevel } from "kafkajs";
import { embeddedPublishHook, startBridge, type BridgeOptions } from "../../src/bridge/index.ts";
import { createKafka } from "../../src/core/kafka/index.ts";
import { kafkajsBus } from "../../src/bus/index.ts";
import { silentLogger } from "../../src/core/log/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { startMqttBroker } from "../../src/mqtt/index.ts";

/**
 * `fastFail`: a kafkajs client that gives up on a dead broker within ~1 s, so no send outlives
 * its deadline (which could make Kafka take a record twice) — for tests that stop Kafka.
 */
export async function startBridgeStack(
  kafkaAddress: string,
  dataDir: string,
  {
    fastFail = false,
    bridge: bridgeOpts = {},
  }: { fastFail?: boolean; bridge?: Partial<BridgeOptions> } = {},
) {
  const log = silentLogger;
  const metrics = new MetricsRegistry();
  const kafka = fastFail
    ? new Kafka({
        brokers: [kafkaAddress],
        clientId: "bridge-test",
        logLevel: logLevel.NOTHING,
        retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 },
      })
    : createKafka({ brokers: [kafkaAddress], clientId: "bridge-test", log });
  const bridge = await startBridge({
    kafka: kafkajsBus(kafka),
    dataDir,
    log,
    metrics,
    writer: { retryAfterMs: 200, sendTimeoutMs: 2000 },
    ...bridgeOpts,
  });
  const mqttBroker = await startMqttBroker({
    host: "127.0.0.1",
    port: 0,
    log,
    metrics,
    onPublish: embeddedPublishHook(bridge, log),
  });
  return {
    bridge,
    metrics,
    mqttPort: mqttBroker.port,
    url: `mqtt://127.0.0.1:${mqttBroker.port}`,
    async stop() {
      await mqttBroker.stop();
      await bridge.stop();
    },
  };
}
