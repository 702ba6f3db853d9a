import type { Logger } from "../core/log/index.ts";
import type { Counter, MetricsRegistry } from "../metrics/index.ts";
import { rateLimited } from "./rate-limited.ts";

export interface GateOptions {
  /** "kafka", "mqtt", … — the metric label and the log field */
  listener: string;
  /** open connections at most; more are closed as soon as they are accepted */
  maxConnections: number;
  /** connections from one address not yet authenticated (or, open, not yet past their handshake) */
  maxPendingPerAddress: number;
  log: Logger;
  metrics: MetricsRegistry;
}

export type Refusal = "max-connections" | "max-pending-per-address";

/**
 * Admission for one listener: a cap on open connections, so a flood cannot take the process to
 * its file-descriptor limit (and /healthz, the other listeners and the database with it), and a
 * cap per remote address on connections that have not authenticated yet. Each refusal is
 * counted (`iot_connections_refused_total`) and logged, at most once per 10 s.
 */
export class ConnectionGate {
  private open = 0;
  private readonly pending = new Map<string, number>();
  private readonly refused: Counter;
  private readonly dropped: Counter;
  private readonly warn: (msg: string, fields?: Record<string, unknown>) => void;

  constructor(private readonly opts: GateOptions) {
    this.refused = opts.metrics.counter(
      "iot_connections_refused_total",
      "connections closed on accept: a listener's connection cap or per-address cap",
    );
    this.dropped = opts.metrics.counter(
      "iot_connections_dropped_total",
      "connections closed by a limit: idle, no handshake in time, stalled request",
    );
    this.warn = rateLimited((m, f) => opts.log.warn(m, f));
  }

  get connections(): number {
    return this.open;
  }

  /** Counts a new connection from `remote` in, or says why it must be closed. */
  admit(remote: string): Refusal | null {
    const { maxConnections, maxPendingPerAddress, listener } = this.opts;
    let reason: Refusal | null = null;
    if (this.open >= maxConnections) reason = "max-connections";
    else if ((this.pending.get(remote) ?? 0) >= maxPendingPerAddress)
      reason = "max-pending-per-address";
    if (reason) {
      this.refused.inc({ listener, reason });
      this.warn(
        reason === "max-connections"
          ? "connection refused: listener at its connection limit"
          : "connection refused: too many unauthenticated connections from one address",
        {
          listener,
          remote,
          limit: reason === "max-connections" ? maxConnections : maxPendingPerAddress,
        },
      );
      return reason;
    }
    this.open++;
    this.pending.set(remote, (this.pending.get(remote) ?? 0) + 1);
    return null;
  }

  /** The connection authenticated (or passed its handshake): it no longer counts as pending. */
  established(remote: string): void {
    const n = this.pending.get(remote) ?? 0;
    if (n <= 1) this.pending.delete(remote);
    else this.pending.set(remote, n - 1);
  }

  /** An admitted connection closed. */
  closed(remote: string, wasEstablished: boolean): void {
    this.open--;
    if (!wasEstablished) this.established(remote);
  }

  /** Counts (and logs at debug) a connection this listener closed for a limit. */
  drop(reason: string): void {
    this.dropped.inc({ listener: this.opts.listener, reason });
  }
}
