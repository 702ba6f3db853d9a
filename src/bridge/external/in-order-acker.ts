/**
 * PUBACKs in the order the PUBLISHes arrived [MQTT-4.6.0-2], each only once its own message
 * was handled: many messages are handled at once, and an ack waits for all earlier ones.
 *
 * A failed message stops the acker when it reaches the head of the line: the messages before it
 * are acked, it and everything after it never are, and `onFail` is told once, so the caller
 * drops the connection and the broker delivers them again.
 */
type State = "pending" | "handled" | "failed";
interface Entry {
  id: number;
  state: State;
  err?: unknown;
}

export interface InOrderAckerOptions {
  /** send these PUBACKs, in this order (one call per run of consecutive handled messages) */
  ack: (packetIds: number[]) => void;
  /** the first message, in arrival order, that could not be handled */
  onFail: (err: unknown, packetId: number) => void;
}

export class InOrderAcker {
  private queue: Entry[] = [];
  private head = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: InOrderAckerOptions) {}

  /** messages tracked and not yet acked (0 once stopped) */
  get inFlight(): number {
    return this.stopped ? 0 : this.queue.length - this.head;
  }

  /** true after a failure or `stop()`: nothing more is acked */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** a QoS 1 message with packet id `id`, safe to ack once `handled` resolves */
  track(id: number, handled: Promise<void>): void {
    if (this.stopped) return;
    const entry: Entry = { id, state: "pending" };
    this.queue.push(entry);
    handled.then(
      () => this.settle(entry, "handled"),
      (err: unknown) => this.settle(entry, "failed", err),
    );
  }

  /** no more acks (the connection is gone); settles `idle()` */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.wakeIdle();
  }

  /** resolves once every tracked message is acked, or the acker stopped */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(entry: Entry, state: State, err?: unknown) {
    entry.state = state;
    entry.err = err;
    if (!this.stopped) this.flush();
  }

  private flush() {
    const ids: number[] = [];
    let failed: Entry | undefined;
    while (this.head < this.queue.length) {
      const e = this.queue[this.head]!;
      if (e.state === "pending") break;
      if (e.state === "failed") {
        failed = e;
        break;
      }
      ids.push(e.id);
      this.head++;
    }
    if (ids.length > 0) this.opts.ack(ids);
    if (failed) {
      this.stop();
      this.opts.onFail(failed.err, failed.id);
      return;
    }
    // drop the acked prefix now and then, so the array does not grow for ever
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.inFlight === 0) this.wakeIdle();
  }

  private wakeIdle() {
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
