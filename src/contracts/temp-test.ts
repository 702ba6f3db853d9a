/**
 * Topic `temp_test`: the seed's DHT producer (kafka-python, gzip, acks=0) writes
 * `{"m_id":"0","datetime":"2026-11-22 10:00:00","temp":"23.0"}` — numbers as strings. `m_id`
 * names the device, not the message.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { type TopicContract } from "./contract.ts";
import { msgIdSchema } from "./msg-id.ts";

export const topic = topics.tempTest;

const numeric = z.union([z.string(), z.number()]);

export const schema = z
  .object({
    m_id: z.union([z.string(), z.number().int()]).describe("the device id (`0` from the seed)"),
    datetime: numeric.describe('"YYYY-mm-dd HH:MM:SS" local time, ISO 8601, or epoch'),
    temp: numeric.describe("°C, a number or numeric text"),
    humidity: numeric.optional().describe("%, a number or numeric text"),
    msg_id: msgIdSchema.optional(),
  })
  .describe("A DHT reading, as the seed sends it")
  .meta({ examples: [{ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "23.0" }] });

export const tempTest: TopicContract = {
  topic,
  schema,
  key: "none (the seed sends none)",
  msgId: "the payload's `msg_id` field if any (never `m_id`: that names the device)",
};
