import type { Socket } from "bun";
import type { Logger } from "../../../core/log/index.ts";
import { Framer } from "./framer.ts";

/** What a frame handler returns: the response's bytes (in order), or null for no response. */
export type Response = Uint8Array[] | null;
export type FrameHandler = (frame: Buffer, conn: Connection) => Response | Promise<Response>;

/** Thrown by a handler to drop this one connection (Kafka's answer to undecodable requests). */
export class CloseConnection extends Error {}

interface Slot {
  ready: boolean;
  response: Response;
}

/**
 * One client connection. Requests are dispatched as they arrive (so a pipelined produce stream
 * shares fsyncs) but answered strictly in request order, as the protocol requires. Output that
 * the socket cannot take now is queued and written on `drain`.
 */
export class Connection {
  readonly id: number;
  readonly remote: string;
  /** the address the client reached us on (what to advertise when bound to 0.0.0.0) */
  readonly localAddress: string;
  closed = false;
  /** Aborted when the connection closes, so parked requests can give up. */
  readonly closedSignal: AbortSignal;
  /** Connection-scoped state for handlers (e.g. SASL authentication). */
  readonly state = new Map<string, unknown>();
  private readonly abort = new AbortController();
  private readonly framer: Framer;
  private slots: Slot[] = [];
  private out: Uint8Array[] = [];

  constructor(
    id: number,
    private readonly socket: Socket<unknown>,
    private readonly handler: FrameHandler,
    maxFrameBytes: number,
    private readonly log: Logger,
  ) {
    this.id = id;
    this.remote = socket.remoteAddress;
    this.localAddress = socket.localAddress;
    this.closedSignal = this.abort.signal;
    this.framer = new Framer(maxFrameBytes, (frame) => this.dispatch(frame));
  }

  onData(chunk: Uint8Array): void {
    if (this.closed) return;
    try {
      this.framer.push(chunk);
    } catch (e) {
      this.fail(e);
    }
  }

  onDrain(): void {
    this.flushOut();
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.slots = [];
    this.out = [];
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

  private dispatch(frame: Buffer): void {
    const slot: Slot = { ready: false, response: null };
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
    let n = 0;
    while (n < this.slots.length && this.slots[n]!.ready) {
      const r = this.slots[n]!.response;
      if (r) for (const part of r) this.out.push(part);
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
      if (written < 0) return this.onClose();
      this.out.splice(0, take);
      if (written < chunk.length) {
        this.out.unshift(chunk.subarray(written));
        return; // wait for drain
      }
    }
  }
}
