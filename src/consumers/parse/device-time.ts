/**
 * Whose clock gives a reading or an image its time. The device's own (`ts`, `datetime`,
 * `captured_at`): it knows when it measured, and a reading that waited in its outbox through an
 * outage keeps its time. But not a clock that is plainly wrong: a Pi without network time or a
 * real-time clock starts in 1970, an RTC whose battery died says 2000, a bad one 2099. Retention
 * counts a row's age from its time, so such a reading would go at the first lifecycle pass
 * (1970: past every window, the roll-up's too) or stay for ever (2099) — acknowledged, then lost
 * without a trace. A time before 2001 or from 2050 on is taken for such a clock: the row is stored at its arrival time (the Kafka record's time when that is
 * believable itself, else the server's), and the replacement is counted
 * (`iot_device_clock_replaced_total`) and logged once per device and 10 minutes with the time
 * the device claimed. Dead-lettering it instead would keep the reading off the dashboard for a
 * clock nobody meant. The bounds are dates, not ages: a backlog from an outbox is never mistaken
 * for a wrong clock, a time that was right stays right as years pass, and a clock a little
 * ahead (or a test's fixed future time) is believed — it only keeps its rows a little longer.
 */
import type { Logger } from "../../core/log/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";

/** Clocks never set read 1970 (no RTC) or 2000 (an RTC's reset value). */
export const EARLIEST = Date.UTC(2001, 0, 1);
/** A bad RTC: 2099, 2106 (32-bit overflow). */
export const LATEST = Date.UTC(2050, 0, 1);
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
      "readings and images stored at their arrival time: the device's clock said before 2001 or 2050 or later",
    );
  }

  /** The time to store: `claimed` (the device's), or the arrival time when it is not believable. */
  believe(kind: TimedKind, deviceId: string, claimed: number, recordTs: number): number {
    const now = (this.o.now ?? Date.now)();
    const believable = (t: number) => Number.isFinite(t) && t >= EARLIEST && t < LATEST;
    // a device writing Kafka itself stamps the record with the same wrong clock
    const arrival = believable(recordTs) ? recordTs : now;
    if (believable(claimed)) return claimed;
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
