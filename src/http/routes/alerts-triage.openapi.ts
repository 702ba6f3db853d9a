/**
 * The Alerts page's JSON API (api.ts): groups of repeats, counts, and many acknowledged or
 * cleared at once. The answers' schemas here are what the handlers send (rows.ts conventions).
 */
import { z } from "zod";
import * as rows from "../api/rows.ts";
import { timePair } from "../api/time.ts";
import type { Operation, ResponseSpec } from "../openapi/operation.ts";
import type { AlertGroup, AlertPage } from "../../store/alert-list.ts";

const states = ["open", "acknowledged", "cleared"] as const;
const optional = (what: string) => z.string().max(200).optional().describe(what);

export const alertGroupsQuery = z.object({
  state: optional("open, acknowledged, cleared, or active (open or acknowledged)"),
  kind: optional("an alert kind, e.g. room-rule, bin-full, away-too-long"),
  room: optional("a room number: alerts about that room"),
  device: optional("a device id: alerts about that device"),
  page: optional("the page, from 1"),
  size: optional("groups per page (1..200, default 50)"),
});

const time = (name: string) => ({ [name]: z.string(), [`${name}_ms`]: z.number() });
const nullableTime = (name: string) => ({
  [name]: z.string().nullable(),
  [`${name}_ms`]: z.number().nullable(),
});

export const alertGroupRow = z.strictObject({
  kind: z.string(),
  subject: z.string(),
  state: z.enum(states),
  severity: z.enum(["info", "warning", "critical"]),
  message: z.string().describe("the newest member's message"),
  last_id: z.number().describe("the newest member's id (GET /alerts/<id> shows it)"),
  count: z.number().describe("alerts in the group"),
  ...time("first_at"),
  ...time("last_at"),
  ...nullableTime("cleared_at"),
});

export const alertGroupsAnswer = z.strictObject({
  groups: z.array(alertGroupRow),
  total_groups: z.number(),
  total_alerts: z.number(),
  page: z.number(),
  pages: z.number(),
  size: z.number(),
  by_state: z.strictObject({
    open: z.number(),
    acknowledged: z.number(),
    cleared: z.number(),
  }),
});

/** A store group in the API's conventions (ISO times with their _ms twins). */
export const groupRow = (g: AlertGroup) => ({
  kind: g.kind,
  subject: g.subject,
  state: g.state,
  severity: g.severity,
  message: g.message,
  last_id: g.last_id,
  count: g.count,
  ...timePair("first_at", g.first_at),
  ...timePair("last_at", g.last_at),
  ...timePair("cleared_at", g.cleared_at),
});

export const groupsAnswer = (p: AlertPage) => ({
  groups: p.groups.map(groupRow),
  total_groups: p.total_groups,
  total_alerts: p.total_alerts,
  page: p.page,
  pages: p.pages,
  size: p.size,
  by_state: p.by_state,
});

const bulkBody = z.object({
  ids: z.array(z.number().int()).max(1000).optional().describe("alert ids"),
  groups: z
    .array(z.object({ kind: z.string(), subject: z.string(), state: z.enum(states) }))
    .max(1000)
    .optional()
    .describe("whole groups, as GET /api/alerts/groups names them"),
});

const bad: ResponseSpec = {
  description: "a bad parameter or body: the message names it",
  schema: rows.problem,
  example: { message: "state: expected open, acknowledged, cleared or active" },
};

const bulk = (action: "ack" | "clear", state: "acknowledged" | "cleared"): Operation => ({
  method: "post",
  path: `/api/alerts/${action}`,
  tag: "api",
  summary: `${action === "ack" ? "Acknowledge" : "Clear"} many alerts at once`,
  description:
    "By ids and/or whole groups, at most 1,000 targets. A form body (the Alerts page's " +
    "checkboxes) is answered with 303 back to the page.",
  body: { schema: bulkBody, form: true },
  responses: {
    200: {
      description: "what changed",
      schema: z.strictObject({
        state: z.literal(state),
        changed: z.array(z.number()),
        count: z.number(),
      }),
    },
    400: bad,
  },
  examples: [{ path: `/api/alerts/${action}`, body: { ids: [999999] }, status: 200 }],
});

export const alertTriageOperations: Operation[] = [
  {
    method: "get",
    path: "/api/alerts/groups",
    tag: "api",
    summary: "Alerts grouped for triage: open first, repeats counted, filtered and paged",
    query: alertGroupsQuery,
    responses: {
      200: { description: "a page of groups with the real totals", schema: alertGroupsAnswer },
      400: bad,
    },
    examples: [
      { path: "/api/alerts/groups?state=active&size=10", status: 200 },
      { path: "/api/alerts/groups?state=nope", status: 400 },
    ],
  },
  {
    method: "get",
    path: "/api/alerts/count",
    tag: "api",
    summary: "How many alerts are in a state",
    query: z.object({ state: alertGroupsQuery.shape.state }),
    responses: {
      200: {
        description: "the count",
        schema: z.strictObject({ state: z.string(), count: z.number() }),
        example: { state: "open", count: 6 },
      },
      400: bad,
    },
    examples: [{ path: "/api/alerts/count?state=open", status: 200 }],
  },
  bulk("ack", "acknowledged"),
  bulk("clear", "cleared"),
];
