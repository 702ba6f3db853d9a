/**
 * Topic `entrance`: `POST /entrance` (or `/`) `{"name":"jane","value":"in"|"out"}` becomes a
 * record keyed by the name, value `{"record_type":"in"|"out","value":<event time>}`.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { noMsgId, type TopicContract } from "./contract.ts";
import { time } from "./fields.ts";

export const topic = topics.entrance;

/** What the collector accepts. */
export const requestSchema = z
  .object({
    name: z.string().min(1).max(200).describe("who passed the door"),
    value: z.enum(["in", "out"]),
  })
  .describe("An entrance event, as posted");

/** The record's value. */
export const schema = z
  .object({
    record_type: z.enum(["in", "out"], { error: "expected in or out" }),
    value: time.describe('the event time; the collector writes "YYYY-mm-dd HH:MM:SS" local time'),
  })
  .describe("An entrance event");

/** The seed's event time format: "YYYY-mm-dd HH:MM:SS" local time. */
export function eventTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The record for a posted event: keyed by the name, stamped now. */
export function recordOf(req: z.infer<typeof requestSchema>, now = new Date()) {
  return { key: req.name, value: { record_type: req.value, value: eventTime(now) } };
}

export const entrance: TopicContract = {
  topic,
  schema,
  key: "the person's name",
  msgId: noMsgId,
};
