/**
 * Topic `room`: a room's reading, the `POST /office_status` body as the seed sent it —
 * `{"room_no":1,"status":{"humidity":10,"temperature":30}}` — keyed by the room number.
 * The collector validates the body with this schema and produces what it parsed; the room sink
 * parses the record with it again (another producer may write the topic directly).
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { noMsgId, type TopicContract } from "./contract.ts";

export const topic = topics.room;

// a Kafka key and a SQLite integer: beyond 2^53 it would not survive the trip, so say so now
export const roomNoSchema = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .refine(Number.isSafeInteger, "expected an integer within ±(2^53-1)")
  .describe("The room number (an integer, or its digits as a string)");

export const schema = z
  .object({
    room_no: roomNoSchema,
    status: z
      .object({
        humidity: z.number().optional().describe("relative humidity, %"),
        temperature: z.number().optional().describe("°C"),
      })
      .refine(
        (s) => s.humidity !== undefined || s.temperature !== undefined,
        "needs temperature or humidity",
      ),
  })
  .describe("A room's reading");

/** The key of a `room` or `room_rule` record: the room number, as text. */
export const keyOf = (r: { room_no: number }) => String(r.room_no);

/** `room` and `room_rule` alike: keyed by the room number, without a msg_id. */
export const roomTopic = (topic: string, schema: z.ZodType): TopicContract => ({
  topic,
  schema,
  key: "the room number, as text",
  msgId: noMsgId,
});

export const room = roomTopic(topic, schema);
