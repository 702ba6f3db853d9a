/** The agent's way to the server: MQTT by default, Kafka directly with `--kafka`. */
import type { DeviceOptions } from "../options.ts";
import { createKafkaTransport } from "./kafka.ts";
import { createMqttTransport } from "./mqtt.ts";
import type { Transport, TransportOptions } from "./types.ts";

export type { Transport } from "./types.ts";

export function createTransport(
  opts: DeviceOptions,
  hooks: Omit<TransportOptions, "id" | "token">,
): Transport {
  const base = { ...hooks, id: opts.id, token: opts.token };
  if (opts.kafka.length > 0)
    return createKafkaTransport({ ...base, brokers: opts.kafka, format: opts.kafkaFormat });
  return createMqttTransport({ ...base, url: opts.server, ca: opts.ca || undefined });
}
