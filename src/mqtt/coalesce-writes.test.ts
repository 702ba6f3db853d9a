import { expect, test } from "bun:test";
import { connect, createServer, type Socket } from "node:net";
import { coalesceWrites } from "./coalesce-writes.ts";

/** a loopback server whose accepted socket is handed to `onSocket`, and a client reading it all */
async function pair(onSocket: (s: Socket) => void) {
  const server = createServer(onSocket);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const client = connect((server.address() as { port: number }).port, "127.0.0.1");
  const received: Buffer[] = [];
  client.on("data", (d: Buffer) => received.push(d));
  return { server, client, received };
}

/** counts what reaches the socket's own write, under the coalescing */
function countSends(s: Socket): { sends: number } {
  const counted = { sends: 0 };
  const write = s.write;
  s.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    counted.sends++;
    return write.apply(this, args);
  } as Socket["write"];
  return counted;
}

async function until(check: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!check() && Date.now() < deadline) await Bun.sleep(5);
}

test("writes of one event-loop turn leave as one write at the turn's end, in order", async () => {
  let during = -1;
  let after = -1;
  let callbacks = 0;
  const { server, client, received } = await pair((s) => {
    const counted = countSends(s);
    coalesceWrites(s);
    for (let i = 0; i < 100; i++) s.write(i % 2 ? Buffer.from([i]) : String.fromCharCode(i));
    s.write(Buffer.from([100]), () => callbacks++);
    s.write(Buffer.from([101]), undefined, () => callbacks++);
    during = counted.sends;
    setImmediate(() => setImmediate(() => (after = counted.sends)));
  });
  try {
    // the sends are counted two turns later: wait for that too (a loaded machine reads sooner)
    await until(() => Buffer.concat(received).length >= 102 && callbacks === 2 && after !== -1);
    expect(during).toBe(0); // none sent yet: one send for them all
    expect(after).toBe(1);
    expect(callbacks).toBe(2);
    expect([...Buffer.concat(received)]).toEqual(Array.from({ length: 102 }, (_, i) => i));
  } finally {
    client.destroy();
    server.close();
  }
});

test("a later turn's writes are gathered again; a socket gone meanwhile is no error", async () => {
  const sends: number[] = [];
  const { server, client, received } = await pair((s) => {
    const counted = countSends(s);
    coalesceWrites(s);
    s.write("a");
    s.write("a");
    setTimeout(() => {
      sends.push(counted.sends);
      s.write("b");
      s.destroy(); // before its turn ends: the flush finds it closed
      setImmediate(() => sends.push(counted.sends));
    }, 20);
  });
  try {
    await until(() => sends.length === 2);
    await Bun.sleep(50);
    expect(sends).toEqual([1, 1]);
    expect(Buffer.concat(received).toString()).toBe("aa");
  } finally {
    client.destroy();
    server.close();
  }
});

test("end() sends what was gathered first", async () => {
  const { server, client, received } = await pair((s) => {
    coalesceWrites(s);
    s.write("last words");
    s.end();
  });
  try {
    await until(() => Buffer.concat(received).length >= 10);
    expect(Buffer.concat(received).toString()).toBe("last words");
  } finally {
    client.destroy();
    server.close();
  }
});

test("write() says false while the socket waits to drain, and the drain comes", async () => {
  let full: boolean | undefined;
  let drained = false;
  const { server, client } = await pair((s) => {
    coalesceWrites(s);
    s.write(Buffer.alloc(8 << 20)); // far over the high-water mark once handed over
    setImmediate(() => {
      full = s.write(Buffer.from("x"));
      s.once("drain", () => (drained = true));
    });
  });
  try {
    client.on("data", () => {}); // read it all
    await until(() => drained);
    expect(full).toBe(false);
    expect(drained).toBe(true);
  } finally {
    client.destroy();
    server.close();
  }
});
