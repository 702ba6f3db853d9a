/**
 * Which channels an alert event goes to: every route whose filters all match (an absent or empty
 * filter matches everything) names its channels; a channel named by several routes is told once.
 * A cleared alert goes only where a matching route asks for `cleared`. In a route's quiet hours
 * only critical alerts are sent; the rest are kept as `quiet`.
 */
import type { RouteConfig } from "../config/schema.ts";

export interface RoutedEvent {
  event: "raised" | "cleared";
  kind: string;
  subject: string;
  severity: "info" | "warning" | "critical";
}

export type Decision = "send" | "quiet";

export function route(
  routes: readonly RouteConfig[],
  e: RoutedEvent,
  localTime: Date,
): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const r of routes) {
    if (!matches(r.kinds, e.kind) || !matches(r.severities, e.severity)) continue;
    if (!matches(r.subjects, e.subject)) continue;
    if (e.event === "cleared" && !r.cleared) continue;
    const quiet =
      r.quiet_hours !== undefined &&
      e.severity !== "critical" &&
      inQuietHours(r.quiet_hours, localTime);
    for (const name of r.channels) {
      // a route that sends wins over one that keeps quiet
      if (out.get(name) !== "send") out.set(name, quiet ? "quiet" : "send");
    }
  }
  return out;
}

const matches = <T>(list: readonly T[] | undefined, value: T) =>
  !list || list.length === 0 || list.includes(value);

/** `22:00-07:00` wraps past midnight; the end minute is outside. */
export function inQuietHours(span: string, t: Date): boolean {
  const [from, to] = span.split("-").map(minuteOfDay) as [number, number];
  const now = t.getHours() * 60 + t.getMinutes();
  return from < to ? now >= from && now < to : now >= from || now < to;
}

const minuteOfDay = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
};
