import type { Socket } from "bun";
import type { Logger } from "../../../core/log/index.ts";
import { FrameBudget } from "./frame-budget.ts";
import { Framer } from "./framer.ts";

/** What a frame handler returns: the response's bytes (in order), or null for no response. */
export type Response = Uint8Array[] | null;
export type FrameHandler = (frame: Buffer, conn: Connection) => Response | Promise<Response>;

/** Thrown by a handler to drop this one connection (Kafka's answer to undecodable requests). */
export class CloseConnection extends Error {}

/** What one connection may hold in memory; see `defaultConnectionLimits`. */
export interface ConnectionLimits {
  maxFrameBytes: number;
  /** with `requireAuth`, until SASL succeeds: enough for ApiVersions and the SASL handshake */
  preAuthMaxFrameBytes: number;
  requireAuth: boolean;
  /** requests dispatched but not yet answered; at this many the socket stops being read */
  maxInFlight: number;
  /** response bytes the client has not taken yet; at this many the socket stops being read */
  maxQueuedBytes: number;
  /** process-wide memory for large frames (shared by every connection) */
  budget: FrameBudget;
}

export const defaultConnectionLimits = (maxFrameBytes: number): ConnectionLimits => ({
  maxFrameBytes,
  preAuthMaxFrameBytes: 8 * 1024,
  requireAuth: false,
  maxInFlight: 64,
  maxQueuedBytes: 256 * 1024,
  budget: new FrameBudget(Math.max(128 << 20, maxFrameBytes)),
});

/** How long a connection may stay in each state before the server closes it. */
export interface ConnectionTimeouts {
  /** from open until authenticated (or, on an open broker, until its first request) */
  handshakeMs: number;
  /** no byte read or written */
  idleMs: number;
  /** a request frame started (or waiting for frame memory) and no byte read since */
  stallMs: number;
}

interface Slot {
  ready: boolean;
  response: Response;
  /** the request frame's size, given back to the frame budget once answered */
  frameBytes: number;
}

const EMPTY = new Uint8Array(0);

/**
 * While requests are held back the socket is still read up to this many bytes: so a client that
 * hangs up behind a parked request (a JoinGroup waiting for its group) is seen to leave at once,
 * its parked requests given up and its fd freed, instead of at the idle timeout.
 */
export const HANG_UP_WINDOW_BYTES = 64 * 1024;

/**
 * One client connection. Requests are dispatched as they arrive (so a pipelined produce stream
 * shares fsyncs) but answered strictly in request order, as the protocol requires. Output that
 * the socket cannot take now is queued and written on `drain`.
 *
 * Backpressure: with `maxInFlight` requests unanswered or `maxQueuedBytes` of answers not taken
 * by the client, or while a large frame waits for the frame budget, the socket is paused (the
 * kernel's window closes and the client blocks) and resumed once below half of each bound.
 * Requests are held back at once; the socket itself stops being read only once
 * `HANG_UP_WINDOW_BYTES` wait, so a hang-up behind a stalled request is still noticed.
 */
export class Connection {
  readonly id: number;
  readonly remote: string;
  /** the address the client reached us on (what to advertise when bound to 0.0.0.0) */
  readonly localAddress: string;
  closed = false;
  /** authenticated (or, on an open broker, sent a first request): the long idle timeout applies */
  established = false;
  /** Aborted when the connection closes, so parked requests can give up. */
  readonly closedSignal: AbortSignal;
  /** Connection-scoped state for handlers (e.g. SASL authentication). */
  readonly state = new Map<string, unknown>();
  readonly openedAt = Date.now();
  private lastRead = this.openedAt;
  private lastActivity = this.openedAt;
  private readonly abort = new AbortController();
  private readonly limits: ConnectionLimits;
  private readonly framer: Framer;
  private slots: Slot[] = [];
  private out: Uint8Array[] = [];
  private outBytes = 0;
  /** bytes read but not yet framed (the framer stopped) */
  private held: Uint8Array | null = null;
  /** not framing what is read (the bounds are reached) */
  private paused = false;
  /** the socket is not read at all */
  private socketPaused = false;
  private pumping = false;
  private waitingForBudget = false;
  private readonly wake = () => {
    this.waitingForBudget = false;
    this.held ??= EMPTY; // the framer retries the announced frame
    this.pump();
  };

  constructor(
    id: number,
    private readonly socket: Socket<unknown>,
    private readonly handler: FrameHandler,
    limits: number | ConnectionLimits,
    private readonly log: Logger,
    /** told once, when the connection becomes established */
    private readonly onEstablished: (conn: Connection) => void = () => {},
  ) {
    this.id = id;
    this.remote = socket.remoteAddress;
    this.localAddress = socket.localAddress;
    this.closedSignal = this.abort.signal;
    this.limits = typeof limits === "number" ? defaultConnectionLimits(limits) : limits;
    this.framer = new Framer(
      {
        maxBytes: () =>
          this.limits.requireAuth && !this.established
            ? this.limits.preAuthMaxFrameBytes
            : this.limits.maxFrameBytes,
        admit: (size) => this.admit(size),
      },
      (frame) => {
        this.dispatch(frame);
        return !this.closed && !this.overLimits();
      },
    );
  }

  /** True while a large frame waits for the process-wide frame budget. */
  get waitingForMemory(): boolean {
    return this.waitingForBudget;
  }

  /** Marks the connection authenticated (SASL) or, on an open broker, past its first request. */
  establish(): void {
    if (this.established || this.closed) return;
    this.established = true;
    this.onEstablished(this);
  }

  onData(chunk: Uint8Array): void {
    if (this.closed) return;
    this.lastRead = this.lastActivity = Date.now();
    // Bun may deliver what it had already read after a pause; keep it for later
    this.held = this.held && this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    this.pump();
  }

  onDrain(): void {
    this.flushOut();
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const { budget } = this.limits;
    budget.cancel(this.wake);
    budget.release(this.framer.frameSize);
    for (const slot of this.slots) if (!slot.ready) budget.release(slot.frameBytes);
    this.slots = [];
    this.out = [];
    this.outBytes = 0;
    this.held = null;
    this.abort.abort();
  }

  /** Closes this connection only; everyone else goes on. */
  fail(e: unknown): void {
    if (this.closed) return;
    this.log.warn("closing connection", { conn: this.id, remote: this.remote, reason: e });
    if (!(e instanceof CloseConnection)) this.log.debug("stack", { stack: (e as Error)?.stack });
    this.socket.end();
    this.onClose();
  }

  /** Drops the connection at once (timeouts, limits): the file descriptor is freed now. */
  terminate(): void {
    if (this.closed) return;
    this.socket.terminate();
    this.onClose();
  }

  /** Why this connection should be closed now, if it should. */
  expired(now: number, t: ConnectionTimeouts): string | null {
    if (!this.established && now - this.openedAt > t.handshakeMs)
      return this.limits.requireAuth ? "not authenticated in time" : "no request in time";
    if (this.framer.midFrame && now - this.lastRead > t.stallMs)
      return this.waitingForBudget ? "waited too long for frame memory" : "request frame stalled";
    if (now - this.lastActivity > t.idleMs) return "idle";
    return null;
  }

  private admit(size: number): boolean {
    if (this.limits.budget.tryAcquire(size)) return true;
    if (!this.waitingForBudget) {
      this.waitingForBudget = true;
      this.limits.budget.wait(this.wake);
    }
    return false;
  }

  private overLimits(): boolean {
    return (
      this.slots.length >= this.limits.maxInFlight || this.outBytes >= this.limits.maxQueuedBytes
    );
  }

  /** Low water: a paused connection reads again only below half of each bound. */
  private belowLowWater(): boolean {
    return (
      this.slots.length <= this.limits.maxInFlight >> 1 &&
      this.outBytes <= this.limits.maxQueuedBytes >> 1
    );
  }

  /** Frames what was read, as far as the limits allow; pauses or resumes the socket. */
  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      while (this.held !== null && !this.closed && !this.waitingForBudget) {
        if (this.paused ? !this.belowLowWater() : this.overLimits()) break;
        const chunk = this.held;
        const used = this.framer.push(chunk);
        this.held = used >= chunk.length ? null : chunk.subarray(used);
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.pumping = false;
    }
    if (this.closed) return;
    this.paused = this.held !== null || this.waitingForBudget || this.overLimits();
    const stopReading =
      this.paused && (this.waitingForBudget || (this.held?.length ?? 0) >= HANG_UP_WINDOW_BYTES);
    if (stopReading !== this.socketPaused) {
      this.socketPaused = stopReading;
      if (stopReading) this.socket.pause();
      else this.socket.resume();
    }
  }

  /** After answers were queued or written: read again if the connection was held back. */
  private maybeResume(): void {
    if (this.paused && !this.waitingForBudget && this.belowLowWater()) {
      this.held ??= EMPTY;
      this.pump();
    }
  }

  private dispatch(frame: Buffer): void {
    if (!this.limits.requireAuth) this.establish();
    const slot: Slot = { ready: false, response: null, frameBytes: frame.length };
    this.slots.push(slot);
    let result: Response | Promise<Response>;
    try {
      result = this.handler(frame, this);
    } catch (e) {
      return this.fail(e);
    }
    if (result instanceof Promise) {
      result.then(
        (r) => this.complete(slot, r),
        (e) => this.fail(e),
      );
    } else this.complete(slot, result);
  }

  private complete(slot: Slot, response: Response): void {
    if (this.closed) return;
    slot.ready = true;
    slot.response = response;
    this.limits.budget.release(slot.frameBytes);
    let n = 0;
    while (n < this.slots.length && this.slots[n]!.ready) {
      const r = this.slots[n]!.response;
      if (r)
        for (const part of r) {
          this.out.push(part);
          this.outBytes += part.length;
        }
      n++;
    }
    if (n === 0) return;
    this.slots.splice(0, n);
    this.flushOut();
  }

  private flushOut(): void {
    while (this.out.length > 0 && !this.closed) {
      // Coalesce small responses into one write: pipelined produce acks are ~100 bytes each.
      let chunk = this.out[0]!;
      let take = 1;
      if (chunk.length < 16384 && this.out.length > 1) {
        let total = 0;
        while (take < this.out.length && total + this.out[take]!.length < 65536) {
          total += this.out[take]!.length;
          take++;
        }
        if (take > 1) chunk = Buffer.concat(this.out.slice(0, take));
      }
      const written = this.socket.write(chunk);
      // the socket refuses writes (the client is gone): close it, or a paused socket, never
      // polled again, would keep its file descriptor for ever
      if (written < 0) return this.terminate();
      if (written > 0) this.lastActivity = Date.now();
      this.out.splice(0, take);
      this.outBytes -= written;
      if (written < chunk.length) {
        this.out.unshift(chunk.subarray(written));
        break; // wait for drain
      }
    }
    this.maybeResume();
  }
}
