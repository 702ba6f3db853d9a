/**
 * The row shapes the pages and the API read on PostgreSQL, selected once (SQLite's:
 * src/store/columns.ts): a device, a person or a rule looks the same whichever read gives it.
 */
import { alerts, devices, people, rooms, rules } from "./schema.ts";

export const deviceColumns = {
  id: devices.id,
  name: devices.name,
  kind: devices.kind,
  x: devices.x,
  y: devices.y,
  status: devices.status,
  desired_status: devices.desiredStatus,
  online: devices.online,
  last_seen: devices.lastSeen,
};

export const alertColumns = {
  id: alerts.id,
  kind: alerts.kind,
  subject: alerts.subject,
  message: alerts.message,
  severity: alerts.severity,
  state: alerts.state,
  created_at: alerts.createdAt,
  cleared_at: alerts.clearedAt,
};

export const personColumns = {
  name: people.name,
  state: people.state,
  since: people.since,
  day: people.day,
  away_ms_today: people.awayMsToday,
  flagged: people.flagged,
};

export const ruleColumns = {
  room_no: rules.roomNo,
  schedule_id: rules.scheduleId,
  condition: rules.condition,
  state: rules.state,
  updated_at: rules.updatedAt,
};

export const roomColumns = {
  room_no: rooms.roomNo,
  temperature: rooms.temperature,
  humidity: rooms.humidity,
  updated_at: rooms.updatedAt,
};
