/** What a channel is asked to tell: one alert event, worded the same way everywhere. */
export interface Notice {
  /** unique per event: receivers drop a repeat of the same id (delivery is at-least-once) */
  eventId: string;
  alertId: number;
  event: "raised" | "cleared" | "test";
  kind: string;
  subject: string;
  message: string;
  severity: "info" | "warning" | "critical";
  /** when the alert was raised or cleared (epoch ms) */
  at: number;
  /** how many times it was raised within the collapse window, this one included */
  times: number;
  windowMinutes: number;
}

export interface Channel {
  name: string;
  type: string;
  /** Resolves once the receiver has taken it; throws an Error whose message says why not. */
  send(notice: Notice, signal: AbortSignal): Promise<void>;
  close?(): Promise<void> | void;
}

/** `1 hour`, `15 minutes`, `2 hours` */
export function windowText(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "minute" : `${minutes} minutes`;
}

/** The one line every channel shows: `bin 3 is FULL (…), 57 times in the last hour`. */
export function noticeText(n: Notice): string {
  const repeats =
    n.times > 1 ? `, ${n.times} times in the last ${windowText(n.windowMinutes)}` : "";
  if (n.event === "cleared") return `cleared: ${n.message}`;
  if (n.event === "test") return `test from iot: ${n.message}`;
  return `${n.message}${repeats}`;
}

/** A short title: `[WARNING] bin-full: bin 3`. */
export function noticeTitle(n: Notice): string {
  const what = n.event === "cleared" ? "cleared" : n.severity.toUpperCase();
  return `[${what}] ${n.kind}: ${n.subject}`;
}

/** The JSON a webhook or MQTT subscriber gets (snake_case, ISO time and epoch ms). */
export function noticeJson(n: Notice) {
  return {
    id: n.eventId,
    alert_id: n.alertId,
    event: n.event,
    kind: n.kind,
    subject: n.subject,
    severity: n.severity,
    message: n.message,
    text: noticeText(n),
    at: new Date(n.at).toISOString(),
    at_ms: n.at,
    times: n.times,
    window_minutes: n.windowMinutes,
  };
}
