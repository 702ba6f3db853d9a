/**
 * Topic `temp_test`: the seed's DHT producer (kafka-python, gzip, acks=0) writes
 * `{"m_id":"0","datetime":"2026-11-22 10:00:00","temp":"23.0"}` — numbers as strings. `m_id`
 * names the device, not the message.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { msgIdFromSeedField, noKey, type TopicContract } from "./contract.ts";
import { numeric, seedDeviceId, time } from "./fields.ts";
import { msgIdField } from "./msg-id.ts";

export const topic = topics.tempTest;

export const schema = z
  .object({
    m_id: seedDeviceId("m_id").describe("the device (`0` from the seed)"),
    datetime: time,
    temp: numeric.describe("°C"),
    humidity: numeric.optional().describe("relative humidity, %"),
    msg_id: msgIdField.optional(),
  })
  .describe("A DHT reading, as the seed sends it")
  .meta({ examples: [{ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "23.0" }] });

export const tempTest: TopicContract = {
  topic,
  schema,
  key: noKey,
  msgId: msgIdFromSeedField,
};
