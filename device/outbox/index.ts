/**
 * The device's outbox: every reading and image is written here (fsynced) before it is sent, and
 * removed only once the server acknowledged it, so an outage or a power cut loses nothing that
 * was written. It is the bridge's spool (append-only CRC-framed segments with a durable head),
 * in `<data-dir>/outbox`. Bounded by bytes: past the bound the oldest go first, counted and
 * logged.
 */
import { Spool, type SpoolPosition } from "../../src/core/queue/queue.ts";
import type { Logger } from "../../src/core/log/index.ts";

export type OutboxKind = "telemetry" | "image";

export interface OutboxMessage {
  kind: OutboxKind;
  /** unique per device forever: `<boot>.<start ms>-<sequence>`, base 36 (`1.mi8x2k3p-17`) */
  msgId: string;
  /** extra metadata sent beside the payload (e.g. `captured_at`) */
  headers: Record<string, string>;
  payload: Buffer;
}

export interface OutboxOptions {
  dataDir: string;
  maxBytes: number;
  /** this start's number (device/state.ts); makes message ids unique across restarts */
  boot: number;
  /** when this start began (ms); default now. With `boot`, the message id prefix */
  startMs?: number;
  log: Logger;
  /** segment size; default an eighth of maxBytes, at most 16 MiB */
  segmentBytes?: number;
}

export type { SpoolPosition as OutboxPosition };

export class Outbox {
  private readonly spool: Spool;
  private seq = 0;
  private readonly prefix: string;
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: OutboxOptions) {
    if (!(opts.maxBytes >= 1024)) throw new Error("outbox max bytes must be ≥ 1024");
    this.spool = new Spool(opts.dataDir, opts.maxBytes, opts.segmentBytes, "outbox");
    // the boot counter and the start time: unique unless the state file is lost *and* the
    // clock repeats itself (a Pi has no RTC)
    this.prefix = `${opts.boot.toString(36)}.${(opts.startMs ?? Date.now()).toString(36)}`;
    if (this.spool.length > 0)
      opts.log.info("outbox holds undelivered messages", {
        messages: this.spool.length,
        bytes: this.spool.bytes,
      });
  }

  /** Messages waiting for an acknowledgement. */
  get length(): number {
    return this.spool.length;
  }

  get bytes(): number {
    return this.spool.bytes;
  }

  /** Messages dropped at the size bound since start. */
  get dropped(): number {
    return this.spool.dropped;
  }

  /** Durable when it returns; the message id it was given. */
  append(kind: OutboxKind, payload: Buffer, headers: Record<string, string> = {}): string {
    const msgId = `${this.prefix}-${++this.seq}`;
    const before = this.spool.dropped;
    this.spool.append([
      { topic: kind, key: null, headers: { ...headers, msg_id: msgId }, value: payload },
    ]);
    const lost = this.spool.dropped - before;
    if (lost > 0)
      this.opts.log.warn("outbox full: oldest messages dropped", {
        dropped: lost,
        droppedTotal: this.spool.dropped,
        maxBytes: this.opts.maxBytes,
      });
    for (const wake of this.waiters.splice(0)) wake();
    return msgId;
  }

  /** The oldest waiting messages (up to `max`, about `maxBytes`) and where they end, for `ack`. */
  peek(max: number, maxBytes = 4 << 20): { messages: OutboxMessage[]; end: SpoolPosition } {
    const { records, end } = this.spool.peek(max, maxBytes);
    const messages = records.map((r) => {
      const { msg_id, ...headers } = r.headers;
      return { kind: r.topic as OutboxKind, msgId: msg_id ?? "", headers, payload: r.value };
    });
    return { messages, end };
  }

  /** The server acknowledged everything before `end`. */
  ack(end: SpoolPosition): void {
    this.spool.ack(end);
  }

  /** Resolves at the next append (or at once if something is waiting). */
  whenNotEmpty(): Promise<void> {
    if (this.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wakes whoever waits in `whenNotEmpty` (at shutdown). */
  wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  close(): void {
    this.wake();
    this.spool.close();
  }
}
