/**
 * The embedded broker against Debian's kcat (librdkafka): metadata, gzip produce, consume to
 * end of partition, and balanced group consumption with one and two members.
 */
import { describe, expect, test } from "bun:test";
import { readBatchHeader } from "../../src/kafka/protocol/record-batch.ts";
import { startKafkaBroker } from "../../src/kafka/broker/index.ts";
import { freePort } from "../support/net.ts";
import { run } from "../support/run.ts";
import { useKafkaBroker } from "../support/kafka.ts";
import { waitFor } from "../support/wait.ts";

const env = useKafkaBroker("iot-kcat-");
const kcat = (args: string[], stdin?: string, timeoutMs = 30_000) =>
  run(["kcat", "-b", env.broker.address, ...args], { stdin, timeoutMs });

// Compressible lines, or librdkafka sends gzip batches uncompressed and the test proves nothing.
const lines = Array.from(
  { length: 500 },
  (_, i) => `line-${String(i).padStart(4, "0")} ${"abc ".repeat(20)}end`,
);

describe("kcat", () => {
  test("-L lists the broker at its advertised address and the topics", async () => {
    await kcat(["-P", "-t", "meta-t"], "hello\n");
    const r = await kcat(["-L"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 brokers:");
    expect(r.stdout).toContain(`broker 1 at ${env.broker.address} (controller)`);
    expect(r.stdout).toMatch(/topic "meta-t" with 2 partitions/);
  });

  test("-P -z gzip stores compressed batches; -C -o beginning -e reads them back in order", async () => {
    const p = await kcat(["-P", "-t", "gzip-t", "-p", "0", "-z", "gzip"], lines.join("\n") + "\n");
    expect(p.code).toBe(0);
    const log = env.broker.logs.partition("gzip-t", 0)!;
    expect(log.highWatermark).toBe(lines.length);
    const stored = log.read(0, 1 << 20);
    const bytes = stored instanceof Uint8Array ? stored : Buffer.concat(stored);
    expect(readBatchHeader(bytes, 0).attributes & 0x7).toBe(1); // codec 1 = gzip, kept as sent
    const c = await kcat(["-C", "-t", "gzip-t", "-p", "0", "-o", "beginning", "-e", "-q"]);
    expect(c.code).toBe(0);
    expect(c.stdout.trimEnd().split("\n")).toEqual(lines);
  });

  test("-z snappy and -z lz4 are refused with UNSUPPORTED_COMPRESSION_TYPE; nothing is stored", async () => {
    for (const codec of ["snappy", "lz4"]) {
      const topic = `${codec}-t`;
      const p = await kcat(["-P", "-t", topic, "-p", "0", "-z", codec], lines.join("\n") + "\n");
      expect(p.stderr).toMatch(/compression type|UNSUPPORTED_COMPRESSION/i);
      expect(env.broker.logs.partition(topic, 0)?.highWatermark ?? 0).toBe(0);
    }
  });

  test("-G consumes as a group, commits, and a rerun starts after the committed offset", async () => {
    await kcat(
      ["-P", "-t", "grp-t", "-K", ":"],
      lines
        .slice(0, 40)
        .map((l, i) => `k${i}:${l}`)
        .join("\n") + "\n",
    );
    const first = await kcat(
      ["-G", "g1", "grp-t", "-o", "beginning", "-e", "-q"],
      undefined,
      60_000,
    );
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split("\n").sort()).toEqual(lines.slice(0, 40).sort());
    await kcat(["-P", "-t", "grp-t"], "late-1\nlate-2\n");
    const second = await kcat(["-G", "g1", "grp-t", "-e", "-q"], undefined, 60_000);
    expect(second.code).toBe(0);
    expect(second.stdout.trimEnd().split("\n").sort()).toEqual(["late-1", "late-2"]);
  }, 90_000);

  test("two -G members split the partitions between them", async () => {
    await kcat(["-P", "-t", "split-t", "-p", "0"], "warm\n");
    const spawnMember = () =>
      // No -o: it would rewind on every rebalance. Start from the earliest uncommitted offset.
      Bun.spawn(
        [
          "kcat",
          "-b",
          env.broker.address,
          "-X",
          "auto.offset.reset=earliest",
          "-G",
          "g2",
          "split-t",
          "-q",
          "-u", // unbuffered: a pipe would otherwise hold the lines until exit
        ],
        {
          stdout: "pipe",
          stderr: "ignore",
        },
      );
    const members = [spawnMember(), spawnMember()];
    const outputs = ["", ""];
    const readers = members.map(async (m, i) => {
      const decoder = new TextDecoder();
      for await (const chunk of m.stdout as unknown as AsyncIterable<Uint8Array>) {
        outputs[i] += decoder.decode(chunk);
      }
    });
    try {
      // Produce after both joined; the group is stable once messages flow to both.
      await Bun.sleep(4000);
      const msgs = Array.from({ length: 100 }, (_, i) => `s${i}`);
      await kcat(
        ["-P", "-t", "split-t", "-K", ":"],
        msgs.map((m) => `${m}:${m}`).join("\n") + "\n",
      );
      const all = () => (outputs[0] + outputs[1]).split("\n").filter((l) => l.startsWith("s"));
      await waitFor(() => new Set(all()).size >= 100, 45_000, "100 messages across two members");
      expect(outputs[0]!.includes("s") && outputs[1]!.includes("s")).toBe(true);
    } finally {
      for (const m of members) m.kill("SIGTERM");
      await Promise.all(members.map((m) => m.exited));
      await Promise.all(readers);
    }
  }, 90_000);

  test("--kafka-advertised: clients are told the configured host:port, not the bind address", async () => {
    const port = await freePort();
    const other = await startKafkaBroker({
      host: "127.0.0.1",
      port,
      dataDir: env.dirs.make(),
      advertised: `localhost:${port}`,
    });
    try {
      const r = await run(["kcat", "-b", `127.0.0.1:${port}`, "-L"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`broker 1 at localhost:${port}`);
    } finally {
      await other.stop();
    }
  });
});
