/** The history endpoints, documented from the schemas history.ts parses with. */
import type { HistoryKind } from "../../store/history.ts";
import type { Operation } from "../openapi/operation.ts";
import * as rows from "../api/rows.ts";
import { historyLists, pageSchema } from "./history.ts";

const what: Record<HistoryKind, string> = {
  readings:
    "Sensor readings over time (roll-ups per device: temperature and humidity min/mean/max)",
  rooms: "Room readings over time (roll-ups per room: temperature and humidity min/mean/max)",
  bins: "Bin levels over time (roll-ups per bin: level min/mean/max, FULL count)",
  presence: "Entrance events over time (roll-ups per person: in and out counts)",
  alerts: "Alerts by the time they were raised (roll-ups per kind: counts)",
};

const examples: Record<HistoryKind, Operation["examples"]> = {
  readings: [
    { path: "/api/history/readings?since=0&limit=2", status: 200 },
    {
      title: "hourly roll-ups",
      path: "/api/history/readings?device_id=pi-1&since=2026-01-01T00:00:00%2B09:00&bucket=1h",
      status: 200,
    },
    { title: "a bad parameter", path: "/api/history/readings?since=yesterday", status: 400 },
  ],
  rooms: [{ path: "/api/history/rooms?room_no=1&bucket=5m&format=csv", status: 200 }],
  bins: [{ path: "/api/history/bins?since=0&until=4102444800000", status: 200 }],
  presence: [{ path: "/api/history/presence?name=jane&bucket=1d", status: 200 }],
  alerts: [{ path: "/api/history/alerts?state=open&since=0", status: 200 }],
};

export const historyOperations: Operation[] = (Object.keys(historyLists) as HistoryKind[]).map(
  (kind) => ({
    method: "get",
    path: `/api/history/${kind}`,
    tag: "history",
    summary: what[kind],
    description:
      "Oldest first, from `since` up to `until`. With `bucket` other than raw, one row per bucket " +
      "and key with `bucket`/`bucket_ms` its start. Paging: pass the answer's `next` as `cursor` " +
      "(or follow the `Link` header) until `next` is null.",
    query: historyLists[kind].query,
    responses: {
      200: {
        description: "a page (format=csv: its rows as CSV, the Link header still points on)",
        schema: pageSchema(kind),
        otherTypes: ["text/csv"],
        headers: {
          link: 'when there is a next page: `</api/history/…&cursor=…>; rel="next"`',
          "content-disposition": `with format=csv: attachment; filename="${kind}-<YYYY-mm-dd>.csv"`,
        },
      },
      400: {
        description: "a bad parameter or cursor: the message names it",
        schema: rows.problem,
        example: { message: "since: expected epoch milliseconds or ISO 8601 with an offset" },
      },
    },
    examples: examples[kind],
  }),
);
