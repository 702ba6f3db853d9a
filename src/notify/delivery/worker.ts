/**
 * Sends the queued deliveries: each due one gets an attempt; taken → `sent`, refused → `failed`
 * and its next attempt after a backoff, until the attempts are spent → `dead-lettered` (with a
 * dead letter on `iot.dead-letter`). Channels do not wait for each other, and one receiver's
 * outage holds up nothing but its own deliveries. The queue is in the store: a restart goes on
 * where it was, attempt count included.
 */
import type { RecordProducer } from "../../bus/index.ts";
import { sendToDeadLetter } from "../../contracts/dead-letter.ts";
import type { Logger } from "../../core/log/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";
import type { StoreEngine, StoreOps } from "../../store/engine/index.ts";
import type { QueueRow } from "../../store/notify.ts";
import type { Notice } from "../channels/index.ts";
import type { NotifySettings } from "../config/settings.ts";
import { backoffMs } from "./backoff.ts";
import { topic, type AlertEvent } from "./event.ts";

export function startWorker(deps: {
  /** where the queue is (the alerts' store) */
  engine: StoreEngine;
  settings: NotifySettings;
  deadLetters: RecordProducer;
  log: Logger;
  metrics: MetricsRegistry;
  now?: () => number;
  /**
   * the longest time between two looks for due deliveries: a new one wakes it at once and a
   * retry's time is waited for, so this only matters for rows queued by another process
   */
  everyMs?: number;
  /** attempts in flight at once, all channels */
  maxInFlight?: number;
}) {
  const now = deps.now ?? Date.now;
  const store = <T>(fn: (rows: StoreOps["deliveries"]) => Promise<T>) =>
    deps.engine.transaction((tx) => fn(tx.deliveries));
  /** as of the last look (the metric is read synchronously) */
  let queued = 0;
  const outcomes = deps.metrics.counter(
    "iot_notify_deliveries_total",
    "alert notifications by channel and outcome",
  );
  deps.metrics.collect("iot_notify_queued", "deliveries waiting for an attempt", () => [
    { value: queued },
  ]);
  const inFlight = new Map<number, Promise<void>>();
  const maxInFlight = deps.maxInFlight ?? 8;
  let stopped = false;
  let looking = false;
  let again = false;
  const everyMs = deps.everyMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** one look at a time; a call during one looks again right after */
  const tick = () => {
    if (stopped) return;
    if (looking) return void (again = true);
    looking = true;
    clearTimeout(timer);
    look()
      .then((wait) => {
        // the next look: when the soonest delivery not in flight is due (no polling while
        // idle); all slots taken: the end of an attempt looks again
        if (wait !== undefined && !stopped && !again) {
          timer = setTimeout(tick, wait);
          timer.unref();
        }
      })
      .catch((e) => {
        deps.log.warn("notification queue not read; will retry", { err: e });
        if (!stopped) (timer = setTimeout(tick, Math.min(everyMs, 1000))).unref();
      })
      .finally(() => {
        looking = false;
        if (again) {
          again = false;
          tick();
        }
      });
  };

  /** starts the due deliveries; answers how long until the next look (none: slots all taken) */
  async function look(): Promise<number | undefined> {
    const free = maxInFlight - inFlight.size;
    const [length, due, soonest] = await store(
      async (rows) =>
        [
          await rows.queueLength(),
          free > 0 ? await rows.due(now(), free + inFlight.size) : [],
          await rows.soonest(maxInFlight + 1),
        ] as const,
    );
    queued = length;
    if (stopped) return undefined;
    for (const row of due) {
      if (inFlight.has(row.id) || inFlight.size >= maxInFlight) continue;
      const p = attempt(row)
        .catch((e) => deps.log.error("delivery attempt failed unexpectedly", { err: e }))
        .finally(() => {
          inFlight.delete(row.id);
          tick();
        });
      inFlight.set(row.id, p);
    }
    if (inFlight.size >= maxInFlight) return undefined;
    const next = soonest.find((r) => !inFlight.has(r.id));
    return next === undefined ? everyMs : Math.min(everyMs, Math.max(0, next.nextAt - now()));
  }

  async function attempt(row: QueueRow): Promise<void> {
    const { config, channels } = deps.settings.current();
    const e = JSON.parse(row.payload) as AlertEvent;
    const base = {
      alertId: e.alert_id,
      eventId: row.eventId,
      event: row.event,
      alertKey: row.alertKey,
      channel: row.channel,
    };
    const channel = channels.get(row.channel);
    let reason: string | null = null;
    const n = row.attempts + 1;
    if (!channel) reason = `no channel named '${row.channel}' any more`;
    else {
      const windowMs = config.collapse_minutes * 60_000;
      const notice: Notice = {
        eventId: row.eventId,
        alertId: e.alert_id,
        event: e.event,
        kind: e.kind,
        subject: e.subject,
        message: e.message,
        severity: e.severity,
        at: e.at,
        times:
          windowMs > 0
            ? 1 +
              (await store((rows) =>
                rows.collapsedSince(row.channel, row.alertKey, row.event, now() - windowMs),
              ))
            : 1,
        windowMinutes: config.collapse_minutes,
      };
      try {
        await channel.send(notice, AbortSignal.timeout(config.timeout_ms));
      } catch (err) {
        reason = (err as Error).message;
      }
    }
    if (stopped && reason !== null) return; // cut short by the stop: not counted
    if (reason === null) {
      await store(async (rows) => {
        await rows.record({ ...base, attempt: n, status: "sent", reason: null, at: now() });
        await rows.unqueue(row.id);
      });
      outcomes.inc({ channel: row.channel, outcome: "sent" });
      return;
    }
    const retry = n < config.attempts && channel !== undefined;
    await store(async (rows) => {
      await rows.record({ ...base, attempt: n, status: "failed", reason, at: now() });
      const next = now() + backoffMs(n, config.retry_base_ms, config.retry_max_ms);
      if (retry) await rows.retryAt(row.id, n, next);
    });
    outcomes.inc({ channel: row.channel, outcome: "failed" });
    if (retry) return;
    await sendToDeadLetter(deps.deadLetters, {
      reason: `not delivered to ${row.channel}: ${reason}`,
      source: `notify:${topic}`,
      key: String(e.alert_id),
      value: row.payload,
    });
    await store(async (rows) => {
      await rows.record({ ...base, attempt: n, status: "dead-lettered", reason, at: now() });
      await rows.unqueue(row.id);
    });
    outcomes.inc({ channel: row.channel, outcome: "dead-lettered" });
    deps.log.warn("alert not delivered", { channel: row.channel, alert: e.alert_id, reason });
  }

  tick();
  return {
    /** new deliveries were queued: look now */
    wake: tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(inFlight.values());
    },
  };
}
