/**
 * The bridge behind the embedded broker: `startMqttBroker({ onPublish: embeddedPublishHook(b) })`.
 * aedes sends the PUBACK of a QoS 1 PUBLISH only once the hook is done, i.e. once Kafka (or the
 * disk spool) has the record: at-least-once without a second queue. QoS 0 has no acknowledgement
 * to hold back, so it is handed over and not waited for — the device's connection keeps reading.
 */
import type { Client, PublishPacket } from "aedes";
import type { Logger } from "../core/log/index.ts";
import type { Bridge } from "./bridge.ts";

export function embeddedPublishHook(bridge: Bridge, log: Logger) {
  return (packet: PublishPacket, _client: Client, done: (err?: unknown) => void): void => {
    const payload = packet.payload;
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    // MQTT 5 user properties: aedes keeps mqtt-packet's parse on `packet.properties`
    const userProperties = packet.properties?.userProperties;
    if (packet.qos > 0) return bridge.handleThen(packet.topic, bytes, userProperties, done);
    bridge.handleThen(packet.topic, bytes, userProperties, (err) => {
      if (err) log.warn("QoS 0 message lost", { topic: packet.topic, err });
    });
    done();
  };
}
