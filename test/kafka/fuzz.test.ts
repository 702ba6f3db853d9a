/**
 * Hostile bytes at the Kafka port: valid requests made by kafkajs's own encoders, then mutated
 * (bit flips, truncation, junk tails, lying size prefixes) plus pure noise. Afterwards the broker
 * process must still be alive, serve a normal client, and hold the data it had, intact.
 * Deterministic (seeded), bounded in count and time, loopback only.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { connect } from "node:net";
import { startServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { kcatRead } from "../support/kcat.ts";
import { seededRandom } from "../support/random.ts";

const dirs = tempDirs("iot-fuzz-");
afterAll(() => dirs.cleanup());

const req = (path: string) => require(`kafkajs/src/protocol/requests/${path}/request.js`);
const frameOf: (
  args: object,
) => Promise<{ buffer: Buffer }> = require("kafkajs/src/protocol/request.js");

async function seedFrames(): Promise<Buffer[]> {
  const requests = [
    req("apiVersions/v2")(),
    req("metadata/v4")({ topics: ["fuzz-keep"], allowAutoTopicCreation: true }),
    req("produce/v7")({
      acks: -1,
      timeout: 1000,
      topicData: [
        {
          topic: "fuzz-keep",
          partitions: [{ partition: 0, messages: [{ key: "k", value: "fuzzed" }] }],
        },
      ],
    }),
    req("fetch/v11")({
      replicaId: -1,
      maxWaitTime: 5,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [
        { topic: "fuzz-keep", partitions: [{ partition: 0, fetchOffset: "0", maxBytes: 1 << 20 }] },
      ],
    }),
    req("listOffsets/v3")({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: "fuzz-keep", partitions: [{ partition: 0, timestamp: "-2" }] }],
    }),
    req("findCoordinator/v2")({ key: "fz", coordinatorType: 0 }),
    req("joinGroup/v5")({
      groupId: "fz",
      sessionTimeout: 6000,
      rebalanceTimeout: 1000,
      memberId: "",
      protocolType: "consumer",
      groupProtocols: [{ name: "RoundRobinAssigner", metadata: Buffer.from([0, 1, 0, 0, 0, 0]) }],
    }),
    req("heartbeat/v3")({ groupId: "fz", groupGenerationId: 1, memberId: "m" }),
    req("offsetCommit/v5")({
      groupId: "fz",
      groupGenerationId: -1,
      memberId: "",
      topics: [{ topic: "fuzz-keep", partitions: [{ partition: 0, offset: "1" }] }],
    }),
    req("offsetFetch/v4")({
      groupId: "fz",
      topics: [{ topic: "fuzz-keep", partitions: [{ partition: 0 }] }],
    }),
    req("createTopics/v3")({ topics: [{ topic: "fuzz-new", numPartitions: 2 }], timeout: 1000 }),
  ];
  const frames: Buffer[] = [];
  for (const [i, request] of requests.entries()) {
    frames.push((await frameOf({ correlationId: i, clientId: "fuzz", request })).buffer);
  }
  return frames;
}

function mutate(frame: Buffer, rnd: () => number): Buffer {
  const f = Buffer.from(frame);
  const int = (n: number) => Math.floor(rnd() * n);
  switch (int(6)) {
    case 0: // flip a few bytes after the size prefix
      for (let i = 0, n = 1 + int(4); i < n; i++) f[4 + int(f.length - 4)] = int(256);
      return f;
    case 1: // truncate the body but keep the size prefix honest
      return resize(f.subarray(4, 4 + int(f.length - 4)));
    case 2: // junk tail, size prefix honest
      return resize(
        Buffer.concat([
          f.subarray(4),
          Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))),
        ]),
      );
    case 3: // lying size prefix
      f.writeInt32BE([0, 1, -1, 0x7fffffff, f.length + int(1000)][int(5)]!, 0);
      return f;
    case 4: // unknown api key or version
      f.writeInt16BE(int(2) ? 1000 + int(30000) : int(70), 4);
      f.writeInt16BE(int(2) ? int(50) : -1, 6);
      return f;
    default: // pure noise
      return Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256)));
  }
}

function resize(body: Buffer): Buffer {
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** Sends frames on one connection, waits briefly for whatever comes back, then closes. */
function blast(port: number, frames: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1", () => s.write(Buffer.concat(frames)));
    s.on("error", () => {});
    s.on("data", () => {});
    s.setTimeout(150, () => s.destroy());
    s.on("close", () => resolve());
  });
}

describe("fuzzing the Kafka listener", () => {
  test("3,000 mutated frames later the broker is alive, serves clients, and its log is intact", async () => {
    const dataDir = dirs.make();
    // --log-level error: thousands of "closing connection" warnings are the expected outcome here
    const server = await startServeProcess({
      dataDir,
      role: "brokers",
      args: ["--log-level", "error"],
    });
    try {
      const kafka = new Kafka({ brokers: [server.kafkaAddress], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      const keep = Array.from({ length: 200 }, (_, i) => ({ partition: 0, value: `keep-${i}` }));
      await producer.send({ topic: "fuzz-keep", acks: -1, messages: keep });

      const seeds = await seedFrames();
      const seed = 20261122;
      const rnd = seededRandom(seed);
      const deadline = Date.now() + 20_000;
      let sent = 0;
      while (sent < 3000 && Date.now() < deadline) {
        const batch = Array.from({ length: 8 }, () => {
          const base = seeds[Math.floor(rnd() * seeds.length)]!;
          return rnd() < 0.2 ? base : mutate(base, rnd);
        });
        await Promise.all(
          [0, 1, 2, 3].map((k) => blast(server.kafkaPort, batch.slice(k * 2, k * 2 + 2))),
        );
        sent += batch.length;
      }
      expect(sent).toBeGreaterThan(500);
      expect(server.proc.exitCode).toBeNull(); // still running

      await producer.send({
        topic: "fuzz-keep",
        acks: -1,
        messages: [{ partition: 0, value: "after" }],
      });
      await producer.disconnect();
      const values = await kcatRead(server.kafkaAddress, "fuzz-keep", { partition: 0 });
      // What we produced is there, in order; fuzzed valid produces ("fuzzed") may sit between.
      expect(values.filter((v) => v !== "fuzzed")).toEqual([...keep.map((k) => k.value), "after"]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // And the log recovers cleanly from disk after the fuzzing.
    const again = await startServeProcess({ dataDir, role: "brokers" });
    try {
      const values = await kcatRead(again.kafkaAddress, "fuzz-keep", { partition: 0 });
      expect(values.filter((v) => v !== "fuzzed")).toHaveLength(201);
    } finally {
      await again.stop();
    }
  }, 120_000);
});
