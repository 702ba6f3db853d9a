/**
 * Topic `iot.status`: a device's presence, MQTT `iot/<id>/status` (retained; the last will
 * says `offline`), keyed by the device id.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { deviceTopic } from "./contract.ts";

export const topic = topics.status;

export const schema = z
  .object({
    status: z
      .string({ error: "expected a string" })
      .describe("online, offline, Active or Inactive"),
  })
  .describe("A device's presence or status")
  .meta({ examples: [{ status: "online" }] });

export const status = deviceTopic(topic, "status", schema, true);
