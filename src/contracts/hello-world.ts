/**
 * Topic `hello.world`: the bin-level Pi publishes MQTT `hello/world` (QoS 0) as text,
 * `"<level> <bin_count> <YYYY-mm-dd> <HH:MM:SS>"`, level a number or `FULL`.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { msgIdFromBridge, type TopicContract } from "./contract.ts";

export const topic = topics.helloWorld;

export const schema = z
  .string()
  .describe(
    'A bin level as text: "<level> <bin_count> <YYYY-mm-dd> <HH:MM:SS>", level a number or FULL',
  )
  .meta({ examples: ["72 3 2026-11-22 10:00:00", "FULL 3 2026-11-22 10:05:00"] });

export const helloWorld: TopicContract = {
  topic,
  schema,
  key: "none",
  msgId: msgIdFromBridge,
  mqtt: { filter: "hello/world", key: null, json: false },
};
