/**
 * Whose clock gives a reading or an image its time. The device's own (`ts`, `datetime`,
 * `captured_at`): it knows when it measured, and a reading that waited in its outbox through an
 * outage keeps its time. But not a clock that is plainly wrong: a Pi without network time or a
 * real-time clock starts in 1970, a bad RTC says 2099. Retention counts a row's age from its
 * time, so such a reading would go at the first lifecycle pass (1970: past every window, the
 * roll-up too) or stay for ever (2099) — acknowledged, then lost without a trace. A time more
 * than an hour ahead of the server's clock, or more than a year behind the record's arrival,
 * is taken for such a clock: the row is stored at its arrival time (the Kafka record's time
 * when that is believable itself, else the server's), and the replacement is counted
 * (`iot_device_clock_replaced_total`) and logged once per device and 10 minutes with the time
 * the device claimed. Dead-lettering it instead would keep the reading off the dashboard for a
 * clock nobody meant; a year is longer than any outbox holds (it is bounded in bytes).
 */
import type { Logger } from "../../core/log/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";

export const MAX_AHEAD_MS = 3_600_000;
export const MAX_BEHIND_MS = 365 * 86_400_000;
const LOG_EVERY_MS = 600_000;

export type TimedKind = "readings" | "images";

export class DeviceClocks {
  private readonly replaced;
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly o: { log?: Logger; metrics?: MetricsRegistry; now?: () => number } = {},
  ) {
    this.replaced = o.metrics?.counter(
      "iot_device_clock_replaced_total",
      "readings and images stored at their arrival time: the device's clock was over 1 h ahead or over a year behind",
    );
  }

  /** The time to store: `claimed` (the device's), or the arrival time when it is not believable. */
  believe(kind: TimedKind, deviceId: string, claimed: number, recordTs: number): number {
    const now = (this.o.now ?? Date.now)();
    const believable = (t: number, arrival: number) =>
      Number.isFinite(t) && t <= now + MAX_AHEAD_MS && t >= arrival - MAX_BEHIND_MS;
    // a device writing Kafka itself stamps the record with the same wrong clock
    const arrival = believable(recordTs, now) ? recordTs : now;
    if (believable(claimed, arrival)) return claimed;
    this.replaced?.inc({ kind });
    const key = `${kind}\u0000${deviceId}`;
    if (now - (this.lastLogged.get(key) ?? -Infinity) >= LOG_EVERY_MS) {
      this.lastLogged.set(key, now);
      this.o.log?.warn("device clock is off: stored at the arrival time instead", {
        kind,
        device: deviceId,
        deviceTime: Number.isFinite(claimed) ? new Date(claimed).toISOString() : String(claimed),
        storedAt: new Date(arrival).toISOString(),
      });
    }
    return arrival;
  }
}
