/**
 * Topic `coffee`: the coffee devices publish on MQTT `coffee`
 * `{"id":"3DF92-192","x":1,"y":2,"status":"Active"}`; the bridge keys the record by `id`.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { msgIdFromBridge, type TopicContract } from "./contract.ts";
import { deviceId, numeric } from "./fields.ts";

export const topic = topics.coffee;

const nonEmpty = "expected a non-empty string";

export const schema = z
  .object({
    id: z.string({ error: nonEmpty }).min(1, { error: nonEmpty }).pipe(deviceId),
    x: numeric.optional().describe("position"),
    y: numeric.optional().describe("position"),
    status: z.enum(["Active", "Inactive"], { error: "expected Active or Inactive" }).optional(),
  })
  .describe("A coffee device's position and status")
  .meta({ examples: [{ id: "3DF92-192", x: 1, y: 2, status: "Active" }] });

export const coffee: TopicContract = {
  topic,
  schema,
  key: "the payload's `id` (a device id)",
  msgId: msgIdFromBridge,
  mqtt: { filter: "coffee", key: { field: "id" }, json: true },
};
