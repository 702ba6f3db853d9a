/**
 * Live updates across processes: this process's bus events go out as change records, and the
 * changes other processes send come into its bus — so a dashboard served here re-renders when a
 * consumers process elsewhere stored something. Only kinds travel (a view re-renders from the
 * store), so losing or merging some is harmless; what matters is that one arrives within a second.
 *
 * Out: coalesced per kind, at most one send every `intervalMs`, one send in flight (a burst of
 * 1,000 readings is one record). In: changes from other origins, published on the bus as if they
 * happened here — but not sent out again, and this process's own never taken in twice.
 */
import type { Logger } from "../../core/log/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";
import type { EventBus, IotEventType } from "../bus.ts";
import type { Change } from "./codec.ts";

/** How changes travel (Kafka today; small, so another transport can stand in). */
export interface ChangeTransport {
  send(changes: Change[]): Promise<void>;
  /** Calls `onChange` for every change written from now on, by anyone (its own included). */
  tail(onChange: (c: Change) => void): Promise<void>;
  stop(): Promise<void>;
}

export interface RelayOptions {
  /** this process, as written in its change records */
  origin: string;
  /** send this process's changes */
  send: boolean;
  /** take the others' changes into the local bus (a process serving the dashboard) */
  receive: boolean;
  intervalMs: number;
}

export class ChangeRelay {
  private readonly pending = new Set<IotEventType>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private lastSent = 0;
  private republishing = false;
  private lastWarned = 0;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly counted: ReturnType<MetricsRegistry["counter"]>;

  constructor(
    private readonly bus: EventBus,
    private readonly transport: ChangeTransport,
    private readonly opts: RelayOptions,
    private readonly log: Logger,
    metrics: MetricsRegistry,
  ) {
    this.counted = metrics.counter(
      "iot_changes_total",
      "live-update change records between iot processes, by direction",
    );
    this.unsubscribe = opts.send
      ? bus.subscribe((e) => {
          if (this.republishing) return; // another process's change: it sent it already
          this.pending.add(e.type);
          this.schedule();
        })
      : () => {};
  }

  /** Starts taking in the others' changes (when asked to); sending needs no start. */
  async start(): Promise<void> {
    if (!this.opts.receive) return;
    await this.transport.tail((c) => {
      if (c.origin === this.opts.origin) return; // published here when it happened
      this.counted.inc({ direction: "received" });
      this.republishing = true;
      try {
        this.bus.publish({ type: c.kind });
      } finally {
        this.republishing = false;
      }
    });
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.stopped) return;
    const wait = Math.max(0, this.lastSent + this.opts.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    if (this.pending.size === 0 || this.stopped) return;
    const now = Date.now();
    const changes = [...this.pending].map((kind) => ({ kind, origin: this.opts.origin, at: now }));
    this.pending.clear();
    this.lastSent = now;
    this.inFlight = this.transport.send(changes).then(
      () => void this.counted.inc({ direction: "sent" }, changes.length),
      (e) => {
        // lossy by design: the next change sends its kind again, and pages re-render from the store
        this.counted.inc({ direction: "dropped" }, changes.length);
        if (now - this.lastWarned > 60_000) {
          this.lastWarned = now;
          this.log.warn("change records not sent (other processes' pages may lag)", { err: e });
        }
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = null;
      if (this.pending.size > 0) this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
    await this.transport.stop();
  }
}
