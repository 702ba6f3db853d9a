/** Topic `imgtest`: the seed's camera producer writes `{"m_id","datetime","photo": base64 JPEG}`. */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { type TopicContract } from "./contract.ts";
import { msgIdSchema } from "./msg-id.ts";

export const topic = topics.imgTest;

export const schema = z
  .object({
    m_id: z.union([z.string(), z.number().int()]).optional().describe("the device id"),
    datetime: z.union([z.string(), z.number()]).describe('"YYYY-mm-dd HH:MM:SS" local time'),
    photo: z.string().describe("a JPEG, base64"),
    msg_id: msgIdSchema.optional(),
  })
  .describe("A camera snapshot, as the seed sends it");

export const imgTest: TopicContract = {
  topic,
  schema,
  key: "none (the seed sends none)",
  msgId: "the payload's `msg_id` field if any",
};
