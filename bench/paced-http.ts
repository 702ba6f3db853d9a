/**
 * A fixed-rate HTTP/1.1 load (wrk2 is not in Debian): request i is due at start + i / rate and
 * goes out on the first idle keep-alive connection; its latency counts from when it was due, not
 * from when a connection was free, so a stall shows in the percentiles instead of slowing the
 * load down (no coordinated omission). Raw sockets, so the client costs little beside the server.
 */
import { summarize } from "./stats.ts";

export interface PacedOptions {
  host: string;
  port: number;
  perSecond: number;
  seconds: number;
  connections: number;
  /** request i's head and body (a fresh body each time, as wrk's script makes) */
  request: (i: number) => { method: string; path: string; body: string; contentType: string };
}

export interface PacedResult {
  sent: number;
  /** 2xx answers */
  ok: number;
  /** other statuses, closed connections, requests never answered */
  errors: number;
  /** the rate reached: answers / (last answer − first due time) */
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Conn {
  socket: Bun.Socket<undefined> | null;
  /** due time of the request awaiting its answer on this connection, or null when idle */
  due: number | null;
  buffered: Buffer;
  /** the server said it closes this connection after the answer */
  closing: boolean;
}

export async function pacedHttp(o: PacedOptions): Promise<PacedResult> {
  const total = Math.round(o.perSecond * o.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let answered = 0;
  let next = 0;
  let sent = 0;
  let lastAnswer = 0;
  const waiting: number[] = []; // due times of requests no connection was free for
  const idle: Conn[] = [];
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => (finish = r));

  const send = (c: Conn, i: number, due: number) => {
    const r = o.request(i);
    c.due = due;
    c.socket!.write(
      `${r.method} ${r.path} HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\n` +
        `Content-Type: ${r.contentType}\r\nContent-Length: ${Buffer.byteLength(r.body)}\r\n\r\n${r.body}`,
    );
  };
  const settle = (c: Conn, status: number) => {
    const now = performance.now();
    latencies.push(now - c.due!);
    if (status >= 200 && status < 300) ok++;
    else errors++;
    answered++;
    lastAnswer = now;
    c.due = null;
    if (answered === total) return finish();
    if (!c.socket || c.closing) return; // closed after this answer: back once reconnected
    const queued = waiting.shift();
    if (queued !== undefined) send(c, sent++, queued);
    else idle.push(c);
  };
  /** one whole response at the front of the buffer, if there is one: its status and length */
  const parse = (b: Buffer): { status: number; length: number; close: boolean } | null => {
    const end = b.indexOf("\r\n\r\n");
    if (end < 0) return null;
    const head = b.subarray(0, end).toString("latin1");
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const length = end + 4 + (m ? Number(m[1]) : 0);
    const close = /\r\nconnection:\s*close/i.test(head) || head.startsWith("HTTP/1.0");
    return b.length >= length ? { status, length, close } : null;
  };

  let stopping = false;
  /** (re)opens c's socket: a server that closes after each answer (HTTP/1.0 style) is served */
  const open = async (c: Conn): Promise<void> => {
    c.buffered = Buffer.alloc(0);
    c.closing = false;
    c.socket = await Bun.connect({
      hostname: o.host,
      port: o.port,
      socket: {
        data(_s, chunk) {
          c.buffered = c.buffered.length ? Buffer.concat([c.buffered, chunk]) : Buffer.from(chunk);
          for (let r = parse(c.buffered); r; r = parse(c.buffered)) {
            c.buffered = c.buffered.subarray(r.length);
            if (r.close) c.closing = true;
            if (c.due !== null) settle(c, r.status);
          }
        },
        close() {
          c.socket = null;
          if (stopping) return;
          // what this connection still owed is an error; the others carry on
          if (c.due !== null) {
            c.due = null;
            errors++;
            if (++answered === total) finish();
          }
          const at = idle.indexOf(c);
          if (at >= 0) idle.splice(at, 1);
          open(c).then(
            () => {
              const queued = waiting.shift();
              if (queued !== undefined) send(c, sent++, queued);
              else idle.push(c);
            },
            () => {}, // the server is gone: what is left is counted at the deadline
          );
        },
      },
    });
  };
  const conns: Conn[] = [];
  for (let k = 0; k < o.connections; k++) {
    const c: Conn = { socket: null, due: null, buffered: Buffer.alloc(0), closing: false };
    await open(c);
    conns.push(c);
    idle.push(c);
  }

  const start = performance.now() + 5;
  const tick = () => {
    const now = performance.now();
    while (next < total && start + (next * 1000) / o.perSecond <= now) {
      const due = start + (next * 1000) / o.perSecond;
      next++;
      let c = idle.pop();
      while (c && !c.socket) c = idle.pop();
      if (c) send(c, sent++, due);
      else waiting.push(due);
    }
    if (next < total) setTimeout(tick, Math.max(0, start + (next * 1000) / o.perSecond - now));
  };
  tick();
  // what is not answered 10 s after the last was due counts as an error
  const deadline = Bun.sleep(o.seconds * 1000 + 10_000).then(() => {
    errors += total - answered;
  });
  await Promise.race([finished, deadline]);
  stopping = true;
  for (const c of conns) c.socket?.end();
  const s = summarize(latencies);
  return {
    sent: total,
    ok,
    errors,
    perSecond: ok / ((lastAnswer - start) / 1000),
    p50Ms: s.p50,
    p90Ms: s.p90,
    p99Ms: s.p99,
    maxMs: s.max,
  };
}
