/**
 * At most `max` QoS 1 messages handed on and not yet acked, whatever the broker sends: the
 * Receive Maximum we announce, enforced on our side too (Mosquitto 2.0.11 overshoots it).
 * Messages over the limit wait here in arrival order — at most what one socket read held, as
 * reading stops at the limit and starts again once acks made room (TCP holds the rest).
 */
export interface ReceiveWindowOptions<T> {
  max: number;
  /** QoS 1 messages handed on and not yet acked */
  inFlight: () => number;
  /** hand a message on (it counts in `inFlight` if it is QoS 1) */
  start: (message: T) => void;
  /** stop or restart reading the socket */
  reading: (on: boolean) => void;
}

export class ReceiveWindow<T> {
  private waiting: T[] = [];
  private paused = false;

  constructor(private readonly opts: ReceiveWindowOptions<T>) {}

  /** messages received and not handed on yet */
  get backlog(): number {
    return this.waiting.length;
  }

  /** a message from the socket, in arrival order */
  receive(message: T): void {
    if (this.waiting.length > 0 || this.full()) this.waiting.push(message);
    else this.opts.start(message);
    if (this.full()) this.pause(true);
  }

  /** acks made room: hand on what waits, read again if there is still room */
  drain(): void {
    while (this.waiting.length > 0 && !this.full()) this.opts.start(this.waiting.shift()!);
    if (this.waiting.length === 0 && !this.full()) this.pause(false);
  }

  /** forget what waits (the connection is going; the broker sends it again) */
  clear(): void {
    this.waiting = [];
  }

  private full() {
    return this.opts.inFlight() >= this.opts.max;
  }

  private pause(on: boolean) {
    if (on === this.paused) return;
    this.paused = on;
    this.opts.reading(!on);
  }
}
