/**
 * The row shapes the pages and the API read, selected once: a device and an alert look the same
 * whether they come from a list or by id, and on either engine. A shape maps each answer field
 * to the table's property, the same in both schemas (src/store/schema.ts, src/store/pg/schema.ts);
 * the consts below are SQLite's columns, src/store/pg/columns.ts has PostgreSQL's.
 */
import { alerts, devices, people, rooms, rules } from "./schema.ts";

/** A select's fields: each field of `shape` as the column `table[shape[field]]`. */
export function columnsOf<T, const M extends Record<string, keyof T>>(
  table: T,
  shape: M,
): { [K in keyof M]: T[M[K]] } {
  return Object.fromEntries(
    Object.entries(shape).map(([field, column]) => [field, table[column as keyof T]]),
  ) as { [K in keyof M]: T[M[K]] };
}

export const deviceShape = {
  id: "id",
  name: "name",
  kind: "kind",
  x: "x",
  y: "y",
  status: "status",
  desired_status: "desiredStatus",
  online: "online",
  last_seen: "lastSeen",
} as const;

export const alertShape = {
  id: "id",
  kind: "kind",
  subject: "subject",
  message: "message",
  severity: "severity",
  state: "state",
  created_at: "createdAt",
  cleared_at: "clearedAt",
} as const;

export const personShape = {
  name: "name",
  state: "state",
  since: "since",
  day: "day",
  away_ms_today: "awayMsToday",
  flagged: "flagged",
} as const;

export const ruleShape = {
  room_no: "roomNo",
  schedule_id: "scheduleId",
  condition: "condition",
  state: "state",
  updated_at: "updatedAt",
} as const;

export const roomShape = {
  room_no: "roomNo",
  temperature: "temperature",
  humidity: "humidity",
  updated_at: "updatedAt",
} as const;

export const deviceColumns = columnsOf(devices, deviceShape);
export const alertColumns = columnsOf(alerts, alertShape);
export const personColumns = columnsOf(people, personShape);
export const ruleColumns = columnsOf(rules, ruleShape);
export const roomColumns = columnsOf(rooms, roomShape);
