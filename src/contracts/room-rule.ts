/**
 * Topic `room_rule`: a room's temperature/humidity rule, the `POST /office_rule` body as the
 * seed sent it, keyed by the room number. `insert` and `update` need at least one bound;
 * `delete` needs none. Validated by the collector and by the rule sink with this one schema.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { roomNoSchema, roomTopic } from "./room.ts";

export const topic = topics.roomRule;

export const aggTypes = ["min", "mean", "max"] as const;
export type AggType = (typeof aggTypes)[number];

const bound = z
  .object({
    agg_type: z.enum(aggTypes).describe("how readings over the window are aggregated"),
    up: z.number().nullable().optional().describe("alert above this (null: no upper bound)"),
    down: z.number().nullable().optional().describe("alert below this (null: no lower bound)"),
  })
  .describe("A bound on one metric");

export const schema = z
  .object({
    room_no: roomNoSchema,
    value: z
      .object({
        schedule_id: z.number().int(),
        order: z.enum(["insert", "update", "delete"]),
        condition: z
          .object({ temperature: bound.optional(), humidity: bound.optional() })
          .optional(),
      })
      .refine(
        (v) => v.order === "delete" || !!v.condition?.temperature || !!v.condition?.humidity,
        {
          message: "no temperature or humidity bound",
          path: ["condition"],
        },
      ),
  })
  .describe("A room rule: insert, update or delete");

export { keyOf } from "./room.ts";

export const roomRule = roomTopic(topic, schema);
