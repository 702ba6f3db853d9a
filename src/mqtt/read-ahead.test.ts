/**
 * The read-ahead loop in the embedded broker, over a real socket: raw MQTT 3.1.1 frames, so
 * which packets share one read is up to the test (several in one write), and an onPublish hook
 * that holds each PUBLISH's `done` as a record waiting to be durable.
 */
import { afterEach, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { startLoopbackMqttBroker } from "../../test/support/mqtt-broker.ts";
import { remainingLength } from "../../test/support/mqtt-frames.ts";
import type { MqttBroker, MqttBrokerOptions } from "./index.ts";
import { wireSize } from "./read-ahead.ts";

let broker: MqttBroker | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await broker?.stop();
  broker = undefined;
});

/** a broker whose publish hook holds every `done`, in the order the PUBLISHes came */
async function holdingBroker(opts: Partial<MqttBrokerOptions> = {}) {
  const held: Array<{ payload: string; done: () => void }> = [];
  ({ broker } = await startLoopbackMqttBroker({
    onPublish: (packet, _client, done) => held.push({ payload: String(packet.payload), done }),
    ...opts,
  }));
  return { port: broker.port, held };
}

const frame = (type: number, body: Buffer) =>
  Buffer.concat([Buffer.from([type, ...remainingLength(body.length)]), body]);
const str = (s: string) =>
  Buffer.concat([Buffer.from([s.length >> 8, s.length & 255]), Buffer.from(s)]);
const connectFrame = (clientId: string) =>
  frame(0x10, Buffer.concat([str("MQTT"), Buffer.from([4, 2, 0, 60]), str(clientId)]));
const publishQos1 = (id: number, payload: string) =>
  frame(
    0x32,
    Buffer.concat([
      str("iot/a/telemetry"),
      Buffer.from([id >> 8, id & 255, ...Buffer.from(payload)]),
    ]),
  );

/** a raw client; `acks` lists the PUBACKed message ids in the order they came */
async function rawClient(port: number, first: Buffer) {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const acks: number[] = [];
  let connacked = false;
  let pending = Buffer.alloc(0);
  socket.on("data", (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    while (pending.length >= 4) {
      if (pending[0] === 0x20) connacked = true;
      else if (pending[0] === 0x40) acks.push(pending.readUInt16BE(2));
      pending = pending.subarray(4); // CONNACK and PUBACK are 4 bytes in 3.1.1
    }
  });
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  socket.write(first);
  return { socket, acks, connacked: () => connacked };
}

async function until(what: () => boolean, ms = 3000) {
  for (const end = Date.now() + ms; !what(); await Bun.sleep(5))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

test("a PUBLISH sent while the ones of an earlier read wait to be durable is read at once; PUBACKs keep their order", async () => {
  const { port, held } = await holdingBroker();
  const c = await rawClient(port, connectFrame("ra-1"));
  await until(c.connacked);
  // two in one write: aedes alone would read nothing more until both were done
  c.socket.write(Buffer.concat([publishQos1(1, "a"), publishQos1(2, "b")]));
  await until(() => held.length === 2);
  c.socket.write(publishQos1(3, "c"));
  await until(() => held.length === 3);
  expect(held.map((h) => h.payload)).toEqual(["a", "b", "c"]);
  expect(c.acks).toEqual([]); // nothing durable yet, nothing acknowledged
  for (const h of held) h.done();
  await until(() => c.acks.length === 3);
  expect(c.acks).toEqual([1, 2, 3]);
});

test("no more is read once the packets in flight reach the bound, and reading goes on as they are done", async () => {
  const { port, held } = await holdingBroker({ readAhead: { packets: 4, bytes: 1 << 20 } });
  const c = await rawClient(port, connectFrame("ra-2"));
  await until(c.connacked);
  c.socket.write(Buffer.concat([1, 2, 3].map((i) => publishQos1(i, `m${i}`))));
  await until(() => held.length === 3);
  c.socket.write(Buffer.concat([4, 5].map((i) => publishQos1(i, `m${i}`)))); // 3 < 4: read
  await until(() => held.length === 5);
  c.socket.write(publishQos1(6, "m6")); // 5 in flight: left in the socket
  await Bun.sleep(200);
  expect(held.length).toBe(5);
  held[0]!.done();
  held[1]!.done(); // 3 in flight: the sixth is read
  await until(() => held.length === 6);
  for (const h of held.slice(2)) h.done();
  await until(() => c.acks.length === 6);
  expect(c.acks).toEqual([1, 2, 3, 4, 5, 6]);
});

test("the bound in bytes counts each packet's wire size until it is done", async () => {
  const big = "x".repeat(600);
  const size = publishQos1(1, big).length;
  const { port, held } = await holdingBroker({ readAhead: { packets: 100, bytes: 2 * size } });
  const c = await rawClient(port, connectFrame("ra-3"));
  await until(c.connacked);
  c.socket.write(Buffer.concat([publishQos1(1, big), publishQos1(2, big)]));
  await until(() => held.length === 2);
  c.socket.write(publishQos1(3, "small"));
  await Bun.sleep(200);
  expect(held.length).toBe(2); // two wire sizes in flight: at the bound
  held[0]!.done();
  await until(() => held.length === 3);
  for (const h of held.slice(1)) h.done();
  await until(() => c.acks.length === 3);
  expect(c.acks).toEqual([1, 2, 3]);
});

test("packets sent with the CONNECT, before a slow login is answered, are handled after it, in order", async () => {
  const { port, held } = await holdingBroker({
    authenticate: async () => (await Bun.sleep(100), "someone"),
  });
  const c = await rawClient(
    port,
    Buffer.concat([connectFrame("ra-4"), publishQos1(1, "p"), publishQos1(2, "q")]),
  );
  await until(() => held.length === 2);
  expect(c.connacked()).toBe(true);
  expect(held.map((h) => h.payload)).toEqual(["p", "q"]);
  for (const h of held) h.done();
  await until(() => c.acks.length === 2);
  expect(c.acks).toEqual([1, 2]);
});

test("wireSize: the fixed header's remaining-length bytes at each boundary", () => {
  expect(wireSize(0)).toBe(2);
  expect(wireSize(127)).toBe(129);
  expect(wireSize(128)).toBe(131);
  expect(wireSize(16_383)).toBe(16_386);
  expect(wireSize(16_384)).toBe(16_388);
  expect(wireSize(2_097_152)).toBe(2_097_157);
});
