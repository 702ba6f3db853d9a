/**
 * The bridge in front of an external MQTT broker (`--mqtt-url`): an MQTT 5 subscriber with a
 * persistent session (fixed client id, no clean start, long session expiry), so the broker keeps
 * our subscriptions and unacknowledged QoS 1 messages while we are away. Each PUBACK is sent
 * only after `bridge.handle` resolved (Kafka or the spool has the record).
 *
 * mqtt.js hands messages over one at a time and holds the next until the current one is acked,
 * so this path runs at one Kafka round trip per message (about 1–2 ms on loopback).
 */
import mqtt, { type MqttClient } from "mqtt";
import type { Logger } from "../log/index.ts";
import type { Bridge } from "./bridge.ts";
import { defaultRules, type MappingRule } from "./mapping.ts";

export interface ExternalOptions {
  /** the session's identity at the broker; two bridges must not share one */
  clientId?: string;
  /** how long the broker keeps the session while we are disconnected */
  sessionExpirySeconds?: number;
}

export async function connectExternal(
  url: string,
  bridge: Bridge,
  log: Logger,
  rules: readonly MappingRule[] = defaultRules,
  opts: ExternalOptions = {},
): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: opts.clientId ?? "iot-bridge",
    // customHandleAcks is honoured by mqtt.js for MQTT 5 only
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: opts.sessionExpirySeconds ?? 7 * 24 * 3600 },
    reconnectPeriod: 1000,
    // MQTT 5 both ways, so the broker forwards the devices' user properties (msg_id, …)
    customHandleAcks: (topic, payload, packet, ack) => {
      bridge.handle(topic, payload, packet.properties?.userProperties).then(
        () => ack(0),
        (err) => {
          // Durable nowhere: no PUBACK. Reconnecting makes the broker deliver it again.
          log.warn("external bridge: message not stored; reconnecting for redelivery", {
            topic,
            err,
          });
          client.stream.destroy();
        },
      );
    },
  });
  client.on("error", (err) => log.warn("external mqtt error", { err }));
  client.on("reconnect", () => log.debug("external mqtt reconnecting", { url }));
  // QoS 0 messages have no ack to hold back: mqtt.js does not route them through customHandleAcks
  client.on("message", (topic, payload, packet) => {
    if (packet.qos === 0)
      bridge
        .handle(topic, payload, packet.properties?.userProperties)
        .catch((err) => log.warn("QoS 0 message lost", { topic, err }));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    const filters = Object.fromEntries(rules.map((r) => [r.filter, { qos: 1 as const }]));
    await client.subscribeAsync(filters);
  } catch (e) {
    await client.endAsync(true);
    throw e;
  }
  log.info("bridging external mqtt", { url, clientId: client.options.clientId });
  return client;
}
