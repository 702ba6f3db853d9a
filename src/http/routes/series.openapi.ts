/** `GET /api/series`, documented from the schemas series.ts parses and answers with. */
import * as rows from "../api/rows.ts";
import type { Operation } from "../openapi/operation.ts";
import { seriesAnswer, seriesQuery } from "./series.ts";

export const seriesOperations: Operation[] = [
  {
    method: "get",
    path: "/api/series",
    tag: "api",
    summary: "A chart's data: min / mean / max per time bucket",
    description:
      "Temperature and humidity of a room or a device, downsampled on the server: at most " +
      "`buckets` buckets over the span (default 1000, so 30 days come as 720 hourly buckets), " +
      "aligned to their size.",
    query: seriesQuery,
    responses: {
      200: { description: "the buckets, columnar", schema: seriesAnswer },
      400: {
        description: "a bad parameter: the message names it",
        schema: rows.problem,
        example: { message: "room_no: expected exactly one of room_no=<number> or device_id=<id>" },
      },
    },
    examples: [
      { path: "/api/series?room_no=1&buckets=100", status: 200 },
      { path: "/api/series?device_id=pi-1", status: 200 },
    ],
  },
];
