/**
 * MQTT connections as devices make them: one per virtual device (its own client id), with the
 * device token's credentials in protected mode, reconnecting after the first connection. There a
 * device token may only use its own id as client id, or `<id>/<anything>`: so every client id
 * becomes `<device id>/<client id>`.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { SimulateOptions } from "./options.ts";

export async function connectMqtt(
  o: SimulateOptions,
  clientId: string,
  will?: IClientOptions["will"],
): Promise<MqttClient> {
  try {
    // options, not the URL string: mqtt.js parses a string with the deprecated url.parse(),
    // which makes the compiled binary print a deprecation warning
    const url = new URL(o.mqtt);
    return await mqtt.connectAsync(
      "",
      {
        protocol: url.protocol === "mqtts:" ? "mqtts" : "mqtt",
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: Number(url.port || (url.protocol === "mqtts:" ? 8883 : 1883)),
        clientId: o.device ? `${o.device.id}/${clientId}` : clientId,
        username: o.device?.id,
        password: o.device?.token,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
        clean: true,
        will,
      },
      false,
    );
  } catch (e) {
    const msg = (e as Error).message;
    const hint = /username or password|not authorized/i.test(msg)
      ? o.device
        ? " (is --device-token a device token for --device-id?)"
        : " (protected mode: give --device-id and --device-token)"
      : "";
    throw new Error(`cannot connect to ${o.mqtt} as ${clientId}: ${msg}${hint}`);
  }
}

/** Ends a client, letting messages in flight finish — unless the broker is gone: then at once. */
export async function closeMqtt(client: MqttClient, graceMs = 2000): Promise<void> {
  const ended = client.endAsync();
  const late = await Promise.race([ended.then(() => false), Bun.sleep(graceMs).then(() => true)]);
  if (late) await client.endAsync(true);
}
