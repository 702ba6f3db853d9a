/** The JSON API's lists, alert actions and images, documented from the schemas api.ts uses. */
import { z } from "zod";
import type { Operation, ResponseSpec } from "../openapi/operation.ts";
import * as rows from "../api/rows.ts";
import { alertIdParams, listQueries } from "./api.ts";

const badParam: ResponseSpec = {
  description: "a bad parameter: the message names it",
  schema: rows.problem,
  example: { message: "limit: expected an integer 1..10000" },
};
const csvHeaders = {
  "content-disposition": 'with format=csv: attachment; filename="<list>-<YYYY-mm-dd>.csv"',
};

const listOp = (
  name: string,
  summary: string,
  query: z.ZodObject,
  row: z.ZodType,
  examples: Operation["examples"],
): Operation => ({
  method: "get",
  path: `/api/${name}`,
  tag: "api",
  summary,
  query,
  responses: {
    200: {
      description: "the rows (format=csv: the same columns as CSV, times in ISO 8601)",
      schema: z.array(row),
      otherTypes: ["text/csv"],
      headers: csvHeaders,
    },
    400: badParam,
  },
  examples,
});

const alertAction = (action: "ack" | "clear", summary: string): Operation => ({
  method: "post",
  path: `/api/alerts/:id/${action}`,
  tag: "api",
  summary,
  params: alertIdParams,
  responses: {
    200: { description: "the alert after the change", schema: rows.alertRow },
    400: { description: "the id is not an integer", schema: rows.problem },
    404: {
      description: "no such alert, or it is cleared already",
      schema: rows.problem,
      example: { message: "no active alert 999" },
    },
  },
  examples: [{ path: `/api/alerts/1/${action}`, status: 200 }],
});

export const apiOperations: Operation[] = [
  listOp("readings", "Newest sensor readings first", listQueries.readings, rows.readingRow, [
    { path: "/api/readings?limit=2", status: 200 },
    { title: "CSV", path: "/api/readings?device_id=pi-1&format=csv", status: 200 },
    { title: "a bad parameter", path: "/api/readings?limit=0", status: 400 },
  ]),
  listOp("images", "Newest camera snapshots first", listQueries.images, rows.imageRow, [
    { path: "/api/images?device_id=cam-1&limit=5", status: 200 },
  ]),
  listOp("bins", "Newest bin levels first", listQueries.bins, rows.binRow, [
    { path: "/api/bins?limit=10", status: 200 },
  ]),
  listOp("devices", "Every device and its status", listQueries.plain, rows.deviceRow, [
    { path: "/api/devices", status: 200 },
  ]),
  listOp("rooms", "Every room's latest reading", listQueries.plain, rows.roomRow, [
    { path: "/api/rooms", status: 200 },
  ]),
  listOp("rules", "Every room rule and whether it is alerting", listQueries.plain, rows.ruleRow, [
    { path: "/api/rules", status: 200 },
  ]),
  listOp(
    "people",
    "Everyone seen at the entrance: in or out, time away today",
    listQueries.plain,
    rows.personRow,
    [{ path: "/api/people?format=csv", status: 200 }],
  ),
  listOp("alerts", "Newest alerts first", listQueries.alerts, rows.alertRow, [
    { path: "/api/alerts?state=active", status: 200 },
    { title: "a bad parameter", path: "/api/alerts?state=shouting", status: 400 },
  ]),
  alertAction("ack", "Acknowledge an alert (it stays until its condition ends or it is cleared)"),
  alertAction("clear", "Clear an alert"),
  {
    method: "get",
    path: "/images/:file",
    tag: "api",
    summary: "A stored camera snapshot (`<id>.jpg`, the id from /api/images)",
    params: z.object({
      file: z
        .string()
        .regex(/^\d+\.jpg$/)
        .describe("`<id>.jpg`"),
    }),
    responses: {
      200: { description: "the JPEG", contentType: "image/jpeg" },
      404: {
        description: "no such image",
        schema: rows.problem,
        example: { message: "no such image" },
      },
    },
    examples: [
      { path: "/images/1.jpg", status: 200 },
      { title: "not there", path: "/images/999999.jpg", status: 404 },
    ],
  },
];
