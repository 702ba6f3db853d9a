/**
 * The bridge in front of an external MQTT broker (`--mqtt-url`): an MQTT 5 subscriber with a
 * persistent session (fixed client id, no clean start, long session expiry), so the broker keeps
 * our subscriptions and unacknowledged QoS 1 messages while we are away.
 *
 * Pipelined: up to `receiveMaximum` messages are handed to `bridge.handle` at once (so the Kafka
 * writer batches them), and each PUBACK goes out in arrival order, only once that message's
 * `handle` resolved (Kafka or the spool has the record). Our own small client on `mqtt-packet`
 * (see ./external/): mqtt.js hands over the next PUBLISH only after the current one's PUBACK
 * was written, which made this path one Kafka round trip per message.
 */
import type { ConnectionOptions } from "node:tls";
import type { Logger } from "../core/log/index.ts";
import type { Bridge } from "./bridge.ts";
import { parseBrokerUrl } from "./external/broker-url.ts";
import { subscribe, type ExternalSubscriber } from "./external/subscriber.ts";
import { defaultRules, type MappingRule } from "./mapping.ts";

export type { ExternalSubscriber } from "./external/subscriber.ts";

export interface ExternalOptions {
  /** the session's identity at the broker; two bridges must not share one */
  clientId?: string;
  /** how long the broker keeps the session while we are disconnected */
  sessionExpirySeconds?: number;
  /** QoS 1 messages in flight to Kafka at once, announced as MQTT 5 Receive Maximum */
  receiveMaximum?: number;
  keepaliveSeconds?: number;
  /** for mqtts://: a private CA and the like */
  tls?: ConnectionOptions;
}

export async function connectExternal(
  url: string,
  bridge: Bridge,
  log: Logger,
  rules: readonly MappingRule[] = defaultRules,
  opts: ExternalOptions = {},
): Promise<ExternalSubscriber> {
  const client = await subscribe({
    address: parseBrokerUrl(url),
    clientId: opts.clientId ?? "iot-bridge",
    sessionExpirySeconds: opts.sessionExpirySeconds ?? 7 * 24 * 3600,
    receiveMaximum: opts.receiveMaximum ?? 1000,
    keepaliveSeconds: opts.keepaliveSeconds ?? 60,
    filters: [...new Set(rules.map((r) => r.filter))],
    tls: opts.tls,
    // MQTT 5 both ways, so the broker forwards the devices' user properties (msg_id, …)
    onMessage: (topic, payload, props) => bridge.handle(topic, payload, props),
    log,
  });
  log.info("bridging external mqtt", {
    url: url.replace(/\/\/[^@/]*@/, "//"),
    clientId: client.clientId,
  });
  return client;
}
