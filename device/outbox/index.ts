/**
 * The device's outbox: every reading and image is written here (fsynced) before it is sent, and
 * removed only once the server acknowledged it, so an outage or a power cut loses nothing that
 * was written. It is a durable queue of device messages (append-only CRC-framed segments with
 * a durable head) in `<data-dir>/outbox`. Bounded by bytes: past the bound the oldest go first,
 * counted and logged.
 */
import { join } from "node:path";
import type { Logger } from "../../src/core/log/index.ts";
import { DurableQueue, type QueuePosition } from "../../src/core/queue/queue.ts";
import { outboxCodec } from "./codec.ts";
import type { OutboxKind, OutboxMessage } from "./message.ts";

export type { OutboxKind, OutboxMessage } from "./message.ts";

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

export type { QueuePosition as OutboxPosition };

export class Outbox {
  private readonly queue: DurableQueue<OutboxMessage>;
  private seq = 0;
  private readonly prefix: string;
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: OutboxOptions) {
    if (!(opts.maxBytes >= 1024)) throw new Error("outbox max bytes must be ≥ 1024");
    this.queue = new DurableQueue(
      join(opts.dataDir, "outbox"),
      opts.maxBytes,
      outboxCodec,
      opts.segmentBytes,
    );
    // the boot counter and the start time: unique unless the state file is lost *and* the
    // clock repeats itself (a Pi has no RTC)
    this.prefix = `${opts.boot.toString(36)}.${(opts.startMs ?? Date.now()).toString(36)}`;
    if (this.queue.length > 0)
      opts.log.info("outbox holds undelivered messages", {
        messages: this.queue.length,
        bytes: this.queue.bytes,
      });
  }

  /** Messages waiting for an acknowledgement. */
  get length(): number {
    return this.queue.length;
  }

  get bytes(): number {
    return this.queue.bytes;
  }

  /** Messages dropped at the size bound since start. */
  get dropped(): number {
    return this.queue.dropped;
  }

  /** Durable when it returns; the message id it was given. */
  append(kind: OutboxKind, payload: Buffer, headers: Record<string, string> = {}): string {
    const msgId = `${this.prefix}-${++this.seq}`;
    const before = this.queue.dropped;
    this.queue.append([{ kind, msgId, headers, payload }]);
    const lost = this.queue.dropped - before;
    if (lost > 0)
      this.opts.log.warn("outbox full: oldest messages dropped", {
        dropped: lost,
        droppedTotal: this.queue.dropped,
        maxBytes: this.opts.maxBytes,
      });
    for (const wake of this.waiters.splice(0)) wake();
    return msgId;
  }

  /** The oldest waiting messages (up to `max`, about `maxBytes`) and where they end, for `ack`. */
  peek(max: number, maxBytes = 4 << 20): { messages: OutboxMessage[]; end: QueuePosition } {
    const { items, end } = this.queue.peek(max, maxBytes);
    return { messages: items, end };
  }

  /** The server acknowledged everything before `end`. */
  ack(end: QueuePosition): void {
    this.queue.ack(end);
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
    this.queue.close();
  }
}
