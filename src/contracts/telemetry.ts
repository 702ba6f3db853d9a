/**
 * Topic `iot.telemetry`: a device's readings, MQTT `iot/<id>/telemetry` (or written to Kafka
 * directly by `iot device --transport kafka`), keyed by the device id.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { msgIdFromBridge, type TopicContract } from "./contract.ts";
import { msgIdSchema } from "./msg-id.ts";

export const topic = topics.telemetry;

const numeric = z.union([z.number(), z.string()]);

export const schema = z
  .object({
    msg_id: msgIdSchema.optional(),
    ts: numeric
      .optional()
      .describe("when measured: epoch ms or s, or ISO 8601 (default: the record's time)"),
    temperature: numeric.optional().describe("°C"),
    humidity: numeric.optional().describe("relative humidity, %"),
  })
  .describe("A device's reading: temperature, humidity or both")
  .meta({ examples: [{ msg_id: "m-1", ts: 1764669600000, temperature: 21.5, humidity: 40 }] });

export const telemetry: TopicContract = {
  topic,
  schema,
  key: "the device id (the `+` level of the MQTT topic)",
  msgId: msgIdFromBridge,
  mqtt: { filter: "iot/+/telemetry", key: { segment: 0 }, json: true },
};
