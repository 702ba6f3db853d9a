/**
 * Memory of the compiled `iot serve` under hostile Kafka clients, before any login: clients
 * that pipeline requests and never read the answers, clients that announce 9 MiB frames and
 * hold back the last byte, and — in protected mode — a large frame before SASL. The process's
 * resident memory (VmRSS/VmHWM from /proc) must stay bounded, and other clients go on.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { compileIot } from "../support/iot-binary.ts";
import { memory, resetPeak } from "../support/proc.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { createToken } from "../support/token.ts";
import { waitFor } from "../support/wait.ts";

const MB = 1 << 20;
const dirs = tempDirs("iot-kafka-memory-");
let binary: string;
let open: ServeProcess;
let openLog: string;

beforeAll(async () => {
  binary = await compileIot(dirs.make());
  const dir = dirs.make();
  openLog = join(dir, "serve.log");
  open = await startServeProcess({ dataDir: dir, command: [binary], stderrFile: openLog });
}, 60_000);
afterAll(async () => {
  await open?.stop();
  dirs.cleanup();
});

/** ApiVersions v0, correlation id 1, null client id: 14 bytes with its size prefix */
const apiVersions = Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
}

/** Sends one ApiVersions and waits for its whole answer: the connection is then established. */
async function handshake(s: Socket): Promise<void> {
  const answer = new Promise<void>((resolve) => {
    let got = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        s.off("data", onData);
        resolve();
      }
    };
    s.on("data", onData);
  });
  s.write(apiVersions);
  await answer;
}

/** Writes `bytes` at the pace the server reads them (1 MiB at a time, on drain). */
async function offer(s: Socket, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length && !s.destroyed; at += MB) {
    if (!s.write(bytes.subarray(at, at + MB)))
      await new Promise((resolve) => (s.once("drain", resolve), s.once("close", resolve)));
  }
}

const sizePrefix = (size: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size, 0);
  return b;
};

async function canProduce(port: number, sasl?: { username: string; password: string }) {
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    clientId: "bystander",
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
    sasl: sasl ? { mechanism: "plain", ...sasl } : undefined,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    const [meta] = await producer.send({
      topic: "bystander",
      messages: [{ value: "still served" }],
    });
    return meta!.errorCode === 0;
  } finally {
    await producer.disconnect();
  }
}

describe("Kafka listener memory before login (compiled binary)", () => {
  test("clients pipelining ApiVersions without reading the answers: the broker stops reading them, RSS stays bounded", async () => {
    const pid = open.proc.pid;
    const clients = 8;
    // each client offers up to 512 MiB of requests (4 GiB in all) within 25 s
    const offerBytes = 512 * MB;
    const batch = Buffer.concat(Array.from({ length: 4096 }, () => apiVersions));
    const allowedGrowth = 96 * MB;
    const sockets = await Promise.all(
      Array.from({ length: clients }, () => connectTo(open.kafkaPort)),
    );
    resetPeak(pid);
    const before = memory(pid).rss;
    const deadline = Date.now() + 25_000;
    let overBound = false;
    const flood = async (s: Socket) => {
      s.pause(); // never read an answer
      let offered = 0;
      while (offered < offerBytes && Date.now() < deadline && !overBound) {
        offered += batch.length;
        if (s.write(batch)) continue;
        // the server stopped reading (no drain for 3 s): the flood is held back
        const drained = await Promise.race([
          new Promise<boolean>((resolve) => s.once("drain", () => resolve(true))),
          Bun.sleep(3000).then(() => false),
        ]);
        if (!drained) return { offered, held: true };
      }
      return { offered, held: false };
    };
    const watch = setInterval(() => {
      if (memory(pid).peak - before > allowedGrowth) overBound = true;
    }, 100);
    const results = await Promise.all(sockets.map(flood));
    clearInterval(watch);
    const growth = memory(pid).peak - before;
    for (const s of sockets) s.destroy();
    expect(growth).toBeLessThan(allowedGrowth);
    expect(results.every((r) => r.held)).toBe(true);
    expect(await canProduce(open.kafkaPort)).toBe(true);
  }, 60_000);

  test("100 connections each holding back the last byte of a 9 MiB frame: large frames wait for the frame budget, RSS stays bounded", async () => {
    const pid = open.proc.pid;
    const size = 9 * MB; // the largest frame the default --kafka-max-message-bytes allows
    const body = Buffer.alloc(size - 1, 0x61);
    const allowedGrowth = 256 * MB; // the 128 MiB budget and the process's own noise
    const sockets: Socket[] = [];
    resetPeak(pid);
    const before = memory(pid).rss;
    try {
      for (let i = 0; i < 100; i += 10) {
        const group = await Promise.all(
          Array.from({ length: 10 }, () => connectTo(open.kafkaPort)),
        );
        for (const s of group) {
          s.on("error", () => {});
          sockets.push(s);
          await handshake(s);
          s.write(sizePrefix(size));
          void offer(s, body);
        }
      }
      // give the server time to take what it will take
      await Bun.sleep(5000);
      const during = memory(pid).peak - before;
      // small requests need no budget: another client is still served meanwhile
      expect(await canProduce(open.kafkaPort)).toBe(true);
      expect(during).toBeLessThan(allowedGrowth);
      expect(readFileSync(openLog, "utf8")).toContain("frame memory budget full");
    } finally {
      for (const s of sockets) s.destroy();
    }
  }, 60_000);
});

describe("protected mode (compiled binary)", () => {
  let guarded: ServeProcess | undefined;
  let token: string;
  beforeAll(async () => {
    const dataDir = dirs.make();
    token = await createToken(dataDir, "kafka", "big-sender");
    guarded = await startServeProcess({
      dataDir,
      command: [binary],
      args: ["--host", "0.0.0.0"],
      stderrFile: join(dataDir, "serve.log"),
    });
  }, 60_000);
  afterAll(async () => {
    await guarded?.stop();
  });

  test("before SASL, a frame larger than the handshake needs is refused on its size prefix", async () => {
    const s = await connectTo(guarded!.kafkaPort);
    let closed = false;
    s.on("close", () => (closed = true));
    s.on("error", () => {});
    await handshake(s); // ApiVersions is allowed before login
    s.write(sizePrefix(1 * MB)); // an "ApiVersions" of 1 MiB: only its size, no body
    s.write(apiVersions.subarray(4));
    await waitFor(() => closed, 5000, "the broker to close the connection");
    s.destroy();
  }, 30_000);

  test("after SASL, the full frame size applies: a 1 MiB record is produced", async () => {
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${guarded!.kafkaPort}`],
      clientId: "big-sender",
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: "plain", username: "big-sender", password: token },
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      const [meta] = await producer.send({
        topic: "big-after-login",
        messages: [{ value: Buffer.alloc(1 * MB, 0x62) }],
      });
      expect(meta!.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  }, 30_000);
});
