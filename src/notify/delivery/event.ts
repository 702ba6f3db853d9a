/**
 * Topic `iot-alerts`: one record per alert raised or cleared, keyed by the alert's id (so an
 * alert's raise and clear stay in order), value the JSON below. `id` is the event's own id
 * (unique, from the outbox): the notifier records each delivery under it, so a record seen twice
 * is not sent twice.
 */
import { z } from "zod";
import { topics } from "../../core/kafka/topics.ts";

export const topic = topics.alerts;

export const alertEvent = z.object({
  id: z.int(),
  alert_id: z.int(),
  event: z.enum(["raised", "cleared"]),
  kind: z.string(),
  subject: z.string(),
  message: z.string(),
  severity: z.enum(["info", "warning", "critical"]),
  at: z.int(),
});
export type AlertEvent = z.infer<typeof alertEvent>;

export function parseAlertEvent(value: Buffer): AlertEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString("utf8"));
  } catch (e) {
    throw new Error(`invalid JSON: ${(e as Error).message}`);
  }
  const r = alertEvent.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`not an alert event: ${i.path.join(".") || "value"}: ${i.message}`);
  }
  return r.data;
}
