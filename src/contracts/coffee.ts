/**
 * Topic `coffee`: the coffee devices publish on MQTT `coffee`
 * `{"id":"3DF92-192","x":1,"y":2,"status":"Active"}`; the bridge keys the record by `id`.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { msgIdFromBridge, type TopicContract } from "./contract.ts";
import { deviceIdSchema } from "./device-id.ts";
import { msgIdSchema } from "./msg-id.ts";

export const topic = topics.coffee;

export const schema = z
  .object({
    id: deviceIdSchema,
    x: z.union([z.number(), z.string()]).optional().describe("position (a number or numeric text)"),
    y: z.union([z.number(), z.string()]).optional().describe("position (a number or numeric text)"),
    status: z.enum(["Active", "Inactive"]).optional(),
    msg_id: msgIdSchema.optional(),
  })
  .describe("A coffee device's position and status");

export const coffee: TopicContract = {
  topic,
  schema,
  key: "the payload's `id` (a device id)",
  msgId: msgIdFromBridge,
  mqtt: { filter: "coffee", key: { field: "id" }, json: true },
};
