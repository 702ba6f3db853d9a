/**
 * What the notifier group does with one alert event, in the batch's transaction (before the
 * offset is committed): route it; per channel, keep it quiet (quiet hours), collapse it (the same
 * alert was sent to that channel within the window, or is still on its way), or queue it for the
 * worker. A redelivered record finds its deliveries queued or done and adds nothing.
 */
import type { StoreOps } from "../../store/engine/index.ts";
import type { NotifyConfig } from "../config/schema.ts";
import { route } from "../routing/routes.ts";
import type { AlertEvent } from "./event.ts";

export const alertKey = (e: { kind: string; subject: string }) => `${e.kind} ${e.subject}`;

export type Planned = "queued" | "quiet" | "collapsed" | "already";

export async function planEvent(
  tx: StoreOps,
  e: AlertEvent,
  config: NotifyConfig,
  channels: ReadonlySet<string>,
  now: number,
): Promise<Map<string, Planned>> {
  const rows = tx.deliveries;
  const eventId = String(e.id);
  const key = alertKey(e);
  const out = new Map<string, Planned>();
  for (const [channel, decision] of route(config.routes, e, new Date(now))) {
    if (!channels.has(channel)) continue;
    if ((await rows.outcome(eventId, channel)) || (await rows.queued(eventId, channel))) {
      out.set(channel, "already");
      continue;
    }
    const base = { alertId: e.alert_id, eventId, event: e.event, alertKey: key, channel };
    if (decision === "quiet") {
      await rows.record({ ...base, attempt: 0, status: "quiet", reason: "quiet hours", at: now });
      out.set(channel, "quiet");
      continue;
    }
    const windowMs = config.collapse_minutes * 60_000;
    if (
      windowMs > 0 &&
      ((await rows.pendingFor(channel, key, e.event)) ||
        (await rows.lastSent(channel, key, e.event, now - windowMs)))
    ) {
      const reason = "the same alert was told within the collapse window";
      await rows.record({ ...base, attempt: 0, status: "collapsed", reason, at: now });
      out.set(channel, "collapsed");
      continue;
    }
    await rows.queue({
      eventId,
      channel,
      alertKey: key,
      event: e.event,
      payload: JSON.stringify(e),
      nextAt: now,
    });
    out.set(channel, "queued");
  }
  return out;
}
