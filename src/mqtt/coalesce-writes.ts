/**
 * aedes writes each packet on its own, and mqtt-packet writes a packet in pieces (a PUBLISH is
 * five writes: header, length, topic, id, payload): a batch of QoS 1 publishes acknowledged
 * together — the bridge releases a whole Kafka batch at once — made one send() per PUBACK and
 * one per delivered copy, and the stream machinery's per-write bookkeeping (corked or not) was a
 * visible share of the broker's CPU. So a socket's writes of one event-loop turn are gathered
 * here and handed to the stream as one buffer at the end of that turn (setImmediate): one send,
 * in order, and no wait — nothing else would have run before that turn ended.
 *
 * The stream's contract stays: callbacks run once the gathered bytes are written (with its
 * error, if any); write() says false only while the socket itself waits to drain (so a 'drain'
 * does follow); end() sends what was gathered first; after destroy() nothing gathered is sent,
 * as corked bytes never were.
 */
import type { Socket } from "node:net";

type Callback = (err?: Error | null) => void;

export function coalesceWrites(socket: Socket): void {
  const write = socket.write as (chunk: unknown, encoding?: unknown, cb?: Callback) => boolean;
  const end = socket.end;
  let chunks: Uint8Array[] = [];
  let bytes = 0;
  let callbacks: Callback[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (chunks.length === 0) return;
    const list = chunks;
    const done = callbacks;
    const n = bytes;
    chunks = [];
    callbacks = [];
    bytes = 0;
    if (socket.destroyed) return; // as corked bytes were: dropped with the socket
    const data = list.length === 1 ? list[0]! : Buffer.concat(list, n);
    if (done.length === 0) write.call(socket, data);
    else write.call(socket, data, undefined, (err) => done.forEach((cb) => cb(err)));
  };
  socket.write = function (
    this: Socket,
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | Callback,
    cb?: Callback,
  ) {
    if (typeof encoding === "function") [cb, encoding] = [encoding, undefined];
    // an ended or destroyed socket raises its errors as it always did
    if (socket.destroyed || socket.writableEnded) return write.call(this, chunk, encoding, cb);
    const buf = typeof chunk === "string" ? Buffer.from(chunk, encoding ?? "utf8") : chunk;
    chunks.push(buf);
    bytes += buf.length;
    if (cb) callbacks.push(cb);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return !socket.writableNeedDrain;
  } as Socket["write"];
  socket.end = function (this: Socket, ...args: unknown[]) {
    flush();
    return (end as (...a: unknown[]) => Socket).apply(this, args);
  } as Socket["end"];
}
