/** The seeds' collector endpoints, documented: bodies and answers exactly as the seeds have them. */
import { z } from "zod";
import * as command from "../../contracts/command.ts";
import * as entrance from "../../contracts/entrance.ts";
import * as room from "../../contracts/room.ts";
import * as roomRule from "../../contracts/room-rule.ts";
import type { Operation, ResponseSpec } from "../openapi/operation.ts";
import { problem } from "../api/rows.ts";

const ok = z.strictObject({ message: z.literal("ok") });
const bad: ResponseSpec = {
  description: "a bad body: the message names the field",
  schema: problem,
  example: { message: "room_no: expected an integer within ±(2^53-1)" },
};
const kafkaDown: ResponseSpec = {
  description: "Kafka did not take the record (unreachable, or its disk is full): nothing was kept",
  schema: problem,
};
const unsupportedType: ResponseSpec = {
  description: "the body is neither JSON nor (where accepted) a form",
  schema: problem,
};

const entranceAnswer = z.strictObject({
  message: z.literal("ok"),
  record_type: z.enum(["in", "out"]),
  value: z.string().describe('the event time the record got: "YYYY-mm-dd HH:MM:SS", local'),
});
const entranceOp = (path: string, summary: string): Operation => ({
  method: "post",
  path,
  tag: "collector",
  summary,
  description:
    "The entrance seed: produced to Kafka topic `entrance` (key: the name, value " +
    '`{"record_type":"in"|"out","value":"<event time>"}`) before the answer.',
  body: { schema: entrance.requestSchema },
  responses: {
    200: {
      description: "produced",
      schema: entranceAnswer,
      example: { message: "ok", record_type: "in", value: "2026-11-22 10:30:00" },
    },
    400: bad,
    415: unsupportedType,
    503: kafkaDown,
  },
  examples: [{ path, body: { name: "jane", value: "in" }, status: 200 }],
});

const rule = {
  room_no: 1,
  value: {
    schedule_id: 1,
    order: "insert",
    condition: { temperature: { agg_type: "mean", up: 28, down: 18 } },
  },
};

export const collectorOperations: Operation[] = [
  entranceOp("/entrance", "An entrance event (someone went in or out)"),
  entranceOp("/", "The same as POST /entrance (one seed posts to the root)"),
  {
    method: "post",
    path: "/office_status",
    tag: "collector",
    summary: "A room's reading",
    description: "The room seed: produced to Kafka topic `room`, keyed by the room number.",
    body: { schema: room.schema },
    responses: {
      200: { description: "produced", schema: ok, example: { message: "ok" } },
      400: bad,
      415: unsupportedType,
      503: kafkaDown,
    },
    examples: [
      {
        path: "/office_status",
        body: { room_no: 1, status: { humidity: 40, temperature: 30 } },
        status: 200,
      },
      {
        title: "a bad body",
        path: "/office_status",
        body: { room_no: 1, status: {} },
        status: 400,
      },
    ],
  },
  {
    method: "post",
    path: "/office_rule",
    tag: "collector",
    summary: "Insert, update or delete a room rule",
    description:
      "The rule seed: produced to Kafka topic `room_rule`, keyed by the room number. A rule raises a " +
      "`room-rule` alert while the room's readings over its window break a bound. The dashboard posts " +
      "the same as a flat form (room_no, schedule_id, order, metric, agg_type, up, down).",
    body: { schema: roomRule.schema, form: true },
    responses: {
      200: { description: "produced", schema: ok, example: { message: "ok" } },
      400: bad,
      415: unsupportedType,
      503: kafkaDown,
    },
    examples: [{ path: "/office_rule", body: rule, status: 200 }],
  },
  {
    method: "post",
    path: "/status/:device_id",
    tag: "collector",
    summary: "Tell a device to be Active or Inactive",
    description:
      "The coffee-device seed. Sent as a retained QoS 1 MQTT message on `iot/<id>/command` and to " +
      "Kafka topic `iot.command` (keyed by the id). Also takes a form (the dashboard's).",
    params: z.object({
      device_id: z.string().describe("the device's id (it becomes an MQTT topic level)"),
    }),
    body: { schema: command.requestSchema, form: true },
    responses: {
      200: {
        description: "sent",
        schema: z.strictObject({ message: z.string() }),
        example: { message: "Status of 3DF92-192 updated to Active" },
      },
      400: {
        description: "not Active or Inactive (the seed's answer), or a bad device id",
        schema: problem,
        example: { message: "Invalid status" },
      },
      415: unsupportedType,
      503: { description: "the MQTT broker or Kafka could not be reached", schema: problem },
    },
    examples: [
      { path: "/status/3DF92-192", body: { status: "Active" }, status: 200 },
      { title: "anything else", path: "/status/3DF92-192", body: { status: "On" }, status: 400 },
    ],
  },
];
