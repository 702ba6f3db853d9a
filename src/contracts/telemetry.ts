/**
 * Topic `iot.telemetry`: a device's readings, MQTT `iot/<id>/telemetry` (or written to Kafka
 * directly by `iot device --transport kafka`), keyed by the device id.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { deviceTopic } from "./contract.ts";
import { numeric, time } from "./fields.ts";
import { msgIdField } from "./msg-id.ts";

export const topic = topics.telemetry;

export const schema = z
  .object({
    temperature: numeric.optional().describe("°C"),
    humidity: numeric.optional().describe("relative humidity, %"),
    ts: time.optional().describe("when measured (default: the record's time)"),
    msg_id: msgIdField.optional(),
  })
  .refine(
    (r) => r.temperature !== undefined || r.humidity !== undefined,
    "telemetry has neither temperature nor humidity",
  )
  .describe("A device's reading: temperature, humidity or both")
  .meta({ examples: [{ msg_id: "m-1", ts: 1764669600000, temperature: 21.5, humidity: 40 }] });

export const telemetry = deviceTopic(topic, "telemetry", schema, true);
