/**
 * The row shapes the pages and the API read, selected once: a device and an alert look the same
 * whether they come from a list or by id.
 */
import { alerts, devices } from "./schema.ts";

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
