/** The agent's way to the server: MQTT by default, Kafka directly with `--kafka`. */
import type { DeviceOptions } from "../options.ts";
import { createMqttTransport } from "./mqtt.ts";
import type { Transport, TransportOptions } from "./types.ts";

export type { Transport } from "./types.ts";

export function createTransport(
  opts: DeviceOptions,
  hooks: Omit<TransportOptions, "id" | "token">,
): Transport {
  const base = { ...hooks, id: opts.id, token: opts.token };
  return createMqttTransport({ ...base, url: opts.server, ca: opts.ca || undefined });
}
