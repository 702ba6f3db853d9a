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

test("writes of one event-loop turn stay corked until the turn ends, then leave in order", async () => {
  let during = { corked: -1, buffered: -1 };
  let after = { corked: -1, buffered: -1 };
  const { server, client, received } = await pair((s) => {
    coalesceWrites(s);
    for (let i = 0; i < 100; i++) s.write(Buffer.from([i]));
    during = { corked: s.writableCorked, buffered: s.writableLength };
    setImmediate(() =>
      setImmediate(() => (after = { corked: s.writableCorked, buffered: s.writableLength })),
    );
  });
  try {
    const deadline = Date.now() + 5000;
    while (Buffer.concat(received).length < 100 && Date.now() < deadline) await Bun.sleep(5);
    expect(during).toEqual({ corked: 1, buffered: 100 }); // none sent yet: one send for them all
    expect(after).toEqual({ corked: 0, buffered: 0 });
    expect([...Buffer.concat(received)]).toEqual(Array.from({ length: 100 }, (_, i) => i));
  } finally {
    client.destroy();
    server.close();
  }
});

test("a later turn's writes are corked again; a socket gone meanwhile is no error", async () => {
  const corked: number[] = [];
  const { server, client, received } = await pair((s) => {
    coalesceWrites(s);
    s.write("a");
    corked.push(s.writableCorked);
    setTimeout(() => {
      s.write("b");
      corked.push(s.writableCorked);
      s.destroy(); // before its turn ends: the uncork finds it closed
    }, 20);
  });
  try {
    const deadline = Date.now() + 5000;
    while (received.length === 0 && Date.now() < deadline) await Bun.sleep(5);
    await Bun.sleep(50);
    expect(corked).toEqual([1, 1]);
    expect(Buffer.concat(received).toString()).toStartWith("a");
  } finally {
    client.destroy();
    server.close();
  }
});
