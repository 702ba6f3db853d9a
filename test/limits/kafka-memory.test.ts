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
  test("clients pipelining ApiVersions and never reading the answers: the broker stops taking requests, RSS stays bounded", async () => {
    const pid = open.proc.pid;
    const allowedGrowth = 96 * MB;
    const answered = async () => {
      const text = await (await fetch(`http://127.0.0.1:${open.httpPort}/metrics`)).text();
      return Number(/iot_kafka_requests_total\{api="ApiVersions"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    resetPeak(pid);
    const before = memory(pid).rss;
    // a client that never reads (python: its receive buffer stays 4 KiB), for 24 s
    const flood = Bun.spawn(
      [
        "python3",
        join(import.meta.dir, "../support/pipeline-flood.py"),
        String(open.kafkaPort),
        "2",
        "24",
      ],
      { stdout: "pipe", stderr: "inherit" },
    );
    try {
      await Bun.sleep(12_000);
      const halfway = await answered();
      const sent = (await new Response(flood.stdout).text()).trim().split(" ").map(Number);
      const after = await answered();
      const growth = memory(pid).peak - before;
      // the answers waiting for the client are bounded (kernel buffers and 256 KiB each), so
      // past that the broker takes no more requests; an unbounded one answers ~20k a second
      expect(after - halfway).toBeLessThan(2000);
      expect(sent.length).toBe(2);
      expect(growth).toBeLessThan(allowedGrowth);
    } finally {
      flood.kill();
      await flood.exited;
    }
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
    token = await createToken(dataDir, "kafka", "big-sender", "admin"); // it writes its own topic
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

  test("before SASL, a frame larger than the handshake needs is refused on its size prefix; after SASL, a 1 MiB record is produced", async () => {
    const s = await connectTo(guarded!.kafkaPort);
    let closed = false;
    s.on("close", () => (closed = true));
    s.on("error", () => {});
    await handshake(s); // ApiVersions is allowed before login
    s.write(sizePrefix(1 * MB)); // an "ApiVersions" of 1 MiB: only its size, no body
    s.write(apiVersions.subarray(4));
    await waitFor(() => closed, 5000, "the broker to close the connection");
    s.destroy();
    // after SASL the full frame size applies: a 1 MiB record goes through
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
