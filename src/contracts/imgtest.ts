/** Topic `imgtest`: the seed's camera producer writes `{"m_id","datetime","photo": base64 JPEG}`. */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { msgIdFromSeedField, noKey, type TopicContract } from "./contract.ts";
import { seedDeviceId, time } from "./fields.ts";
import { msgIdField } from "./msg-id.ts";

export const topic = topics.imgTest;

export const schema = z
  .object({
    photo: z.string({ error: "expected base64 text" }).describe("a JPEG, base64"),
    m_id: seedDeviceId("m_id").nullish().describe("the device (`unknown` when absent)"),
    datetime: time,
    msg_id: msgIdField.optional(),
  })
  .describe("A camera snapshot, as the seed sends it");

export const imgTest: TopicContract = {
  topic,
  schema,
  key: noKey,
  msgId: msgIdFromSeedField,
};
