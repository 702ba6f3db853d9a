import { afterEach, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { silentLogger } from "../../../core/log/index.ts";
import { CloseConnection, type FrameHandler } from "./connection.ts";
import { listenTcp, type TcpServer } from "./server.ts";

let server: TcpServer | undefined;
afterEach(() => server?.stop());

const frame = (payload: Buffer) => {
  const b = Buffer.alloc(4 + payload.length);
  b.writeInt32BE(payload.length, 0);
  payload.copy(b, 4);
  return b;
};

/** Sends `frames`, collects `expectBytes` of answer (or until the server closes). */
function exchange(port: number, frames: Buffer[], expectBytes: number) {
  return new Promise<{ data: Buffer; closed: boolean }>((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const s = connect(port, "127.0.0.1", () => s.write(Buffer.concat(frames)));
    s.on("data", (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= expectBytes) {
        s.destroy();
        resolve({ data: Buffer.concat(chunks), closed: false });
      }
    });
    s.on("close", () => resolve({ data: Buffer.concat(chunks), closed: true }));
    s.on("error", () => {});
  });
}

describe("TCP server and connections", () => {
  test("answers pipelined requests in request order even when handlers finish out of order", async () => {
    // The payload's first byte says how long the handler takes; the answer echoes it.
    const handler: FrameHandler = async (f) => {
      await Bun.sleep(f[8]! * 10);
      return [Buffer.from([f[8]!])];
    };
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1024,
      handler,
      log: silentLogger,
    });
    const delays = [5, 1, 3, 0, 2];
    const frames = delays.map((d) => frame(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, d])));
    const { data } = await exchange(server.port, frames, delays.length);
    expect([...data]).toEqual(delays);
  });

  test("a null response (acks=0) is skipped without breaking the order", async () => {
    const handler: FrameHandler = (f) => (f[8] === 0 ? null : [Buffer.from([f[8]!])]);
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1024,
      handler,
      log: silentLogger,
    });
    const frames = [1, 0, 2, 0, 3].map((v) => frame(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, v])));
    const { data } = await exchange(server.port, frames, 3);
    expect([...data]).toEqual([1, 2, 3]);
  });

  test("a response larger than the socket buffer arrives whole (drain)", async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1024,
      handler: () => [big, Buffer.from([9])],
      log: silentLogger,
    });
    const { data } = await exchange(server.port, [frame(Buffer.alloc(8))], big.length + 1);
    expect(data.length).toBe(big.length + 1);
    expect(data[data.length - 1]).toBe(9);
  });

  test("a bad frame or a handler's CloseConnection drops that connection; others go on", async () => {
    const handler: FrameHandler = (f) => {
      if (f[8] === 66) throw new CloseConnection("bad request");
      return [Buffer.from([f[8]!])];
    };
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 64,
      handler,
      log: silentLogger,
    });
    const oversized = Buffer.alloc(4);
    oversized.writeInt32BE(1 << 30, 0);
    const a = await exchange(server.port, [oversized], 1);
    expect(a.closed).toBe(true);
    const b = await exchange(server.port, [frame(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 66]))], 1);
    expect(b).toEqual({ data: Buffer.alloc(0), closed: true });
    const c = await exchange(server.port, [frame(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 5]))], 1);
    expect([...c.data]).toEqual([5]);
  });

  test("a client that does not read its answers is no longer read; it is again once it reads", async () => {
    let handled = 0;
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1024,
      handler: () => (handled++, [Buffer.alloc(1000, 1)]),
      limits: { maxInFlight: 8, maxQueuedBytes: 16 * 1024 },
      log: silentLogger,
    });
    const request = frame(Buffer.alloc(8));
    const total = 50_000; // 50 MB of answers: far more than the kernel's buffers hold
    const s = connect(server.port, "127.0.0.1");
    s.on("error", () => {});
    await new Promise((resolve) => s.once("connect", resolve));
    s.pause();
    void (async () => {
      for (let i = 0; i < total && !s.destroyed; i++)
        if (!s.write(request)) await new Promise((r) => s.once("drain", r));
    })();
    await Bun.sleep(1500);
    const stalled = handled;
    expect(stalled).toBeLessThan(total);
    await Bun.sleep(500);
    expect(handled).toBe(stalled); // not a request more while the answers wait
    let got = 0;
    s.on("data", (d: Buffer) => (got += d.length));
    s.resume();
    const deadline = Date.now() + 30_000;
    while (got < total * 1000 && Date.now() < deadline) await Bun.sleep(50);
    s.destroy();
    expect(handled).toBe(total);
  }, 60_000);

  test("before authentication (when required) a frame over the pre-auth size closes the connection", async () => {
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1 << 20,
      handler: () => [Buffer.from([1])],
      limits: { requireAuth: true, preAuthMaxFrameBytes: 64 },
      log: silentLogger,
    });
    const small = await exchange(server.port, [frame(Buffer.alloc(60))], 1);
    expect([...small.data]).toEqual([1]);
    const big = await exchange(server.port, [frame(Buffer.alloc(65))], 1);
    expect(big).toEqual({ data: Buffer.alloc(0), closed: true });
  });
});

describe("a client gone while the server was not reading it", () => {
  test("is closed and its socket freed when an answer cannot be written", async () => {
    // slow answers, 2 requests in flight at most: the server stops reading this socket, so it
    // learns that the client (FIN, then gone) left only when an answer cannot be written
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1024,
      handler: async () => (await Bun.sleep(300), [Buffer.from([1])]),
      limits: { maxInFlight: 2 },
      log: silentLogger,
    });
    const s = connect(server.port, "127.0.0.1");
    s.on("error", () => {});
    await new Promise((resolve) => s.once("connect", resolve));
    s.end(Buffer.concat(Array.from({ length: 8 }, () => frame(Buffer.alloc(9)))));
    await Bun.sleep(100);
    s.destroy();
    await Bun.sleep(1500);
    expect(server.connections.size).toBe(0);
  });

  test("a hang-up behind a parked request is seen at once: the request is given up, the fd freed", async () => {
    // answers that never come (a JoinGroup waiting for its group) until the connection closes;
    // the client pipelines past the in-flight bound, then sends FIN and waits
    let gaveUp = 0;
    server = listenTcp({
      host: "127.0.0.1",
      port: 0,
      maxFrameBytes: 1024,
      handler: (_frame, conn) =>
        new Promise((resolve) =>
          conn.closedSignal.addEventListener("abort", () => {
            gaveUp++;
            resolve([Buffer.from([1])]);
          }),
        ),
      limits: { maxInFlight: 2 },
      log: silentLogger,
    });
    const s = connect(server.port, "127.0.0.1");
    s.on("error", () => {});
    await new Promise((resolve) => s.once("connect", resolve));
    s.end(Buffer.concat(Array.from({ length: 8 }, () => frame(Buffer.alloc(9)))));
    const closed = new Promise((resolve) => s.once("close", resolve));
    await Bun.sleep(1000);
    expect(server.connections.size).toBe(0);
    expect(gaveUp).toBe(2);
    await closed;
    s.destroy();
  });
});
