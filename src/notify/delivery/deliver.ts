/**
 * One alert event to one channel: skipped if an earlier run finished it (the record came
 * again), kept quiet in quiet hours, collapsed if the same alert was sent within the collapse
 * window, else attempted until it is taken or the attempts are spent. Every attempt is stored;
 * the attempt count survives a restart, so a crash does not grant a fresh set of retries.
 */
import type { Db } from "../../store/index.ts";
import { notifyRows, type DeliveryRow } from "../../store/notify.ts";
import type { Channel, Notice } from "../channels/index.ts";
import type { NotifyConfig } from "../config/schema.ts";
import type { Decision } from "../routing/routes.ts";
import { backoffMs } from "./backoff.ts";
import type { AlertEvent } from "./event.ts";

export interface DeliverDeps {
  db: Db;
  now: () => number;
  /** waits (heartbeating the group); rejects when the notifier is stopping */
  wait: (ms: number) => Promise<void>;
}

export type Outcome =
  | { status: "already" | "sent" | "collapsed" | "quiet" }
  | { status: "dead-lettered"; reason: string };

export const alertKey = (e: { kind: string; subject: string }) => `${e.kind} ${e.subject}`;

export async function deliver(
  e: AlertEvent,
  channel: Channel,
  decision: Decision,
  config: NotifyConfig,
  deps: DeliverDeps,
): Promise<Outcome> {
  const rows = notifyRows(deps.db);
  const eventId = String(e.id);
  if (rows.outcome(eventId, channel.name)) return { status: "already" };
  const key = alertKey(e);
  const base = {
    alertId: e.alert_id,
    eventId,
    event: e.event,
    alertKey: key,
    channel: channel.name,
  };
  const record = (attempt: number, status: DeliveryRow["status"], reason: string | null = null) =>
    rows.record({ ...base, attempt, status, reason, at: deps.now() });

  if (decision === "quiet") {
    record(0, "quiet", "quiet hours");
    return { status: "quiet" };
  }
  const windowMs = config.collapse_minutes * 60_000;
  const since = deps.now() - windowMs;
  if (windowMs > 0 && rows.lastSent(channel.name, key, e.event, since)) {
    record(0, "collapsed", "sent within the collapse window");
    return { status: "collapsed" };
  }
  const notice: Notice = {
    eventId,
    alertId: e.alert_id,
    event: e.event,
    kind: e.kind,
    subject: e.subject,
    message: e.message,
    severity: e.severity,
    at: e.at,
    times: windowMs > 0 ? 1 + rows.collapsedSince(channel.name, key, e.event, since) : 1,
    windowMinutes: config.collapse_minutes,
  };
  let failures = rows.attempts(eventId, channel.name);
  let reason = "no attempt made";
  while (failures < config.attempts) {
    if (failures > 0)
      await deps.wait(backoffMs(failures, config.retry_base_ms, config.retry_max_ms));
    try {
      await channel.send(notice, AbortSignal.timeout(config.timeout_ms));
      record(failures + 1, "sent");
      return { status: "sent" };
    } catch (err) {
      reason = (err as Error).message;
      failures++;
      record(failures, "failed", reason);
    }
  }
  record(failures, "dead-lettered", reason);
  return { status: "dead-lettered", reason };
}
