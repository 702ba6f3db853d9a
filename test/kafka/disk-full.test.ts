/**
 * The embedded broker on a full disk (a 4 MiB tmpfs; root only, skipped elsewhere), with real
 * clients: a produce that does not fit answers KAFKA_STORAGE_ERROR (56), which kafkajs treats
 * as retriable; nothing of it is stored, reads of every partition keep working, the next
 * produce after space returns takes the next offset, and the log reopens without a cut tail.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { startKafkaBroker } from "../../src/kafka/broker/index.ts";
import { createLogger } from "../../src/core/log/index.ts";
import { kcatRead } from "../support/kcat.ts";
import { run } from "../support/run.ts";
import { waitFor } from "../support/wait.ts";
import { mountTmpfs } from "../support/tmpfs.ts";

const tmpfs = mountTmpfs(4, "iot-kafka-full-");
afterAll(() => tmpfs?.unmount());

describe.skipIf(!tmpfs)("Kafka broker on a full disk", () => {
  test("refuses with 56, stays consistent and readable, accepts again with space", async () => {
    const dataDir = `${tmpfs!.dir}/data`;
    const events: string[] = [];
    const disk = {
      refused: (s: string, e: unknown) =>
        void events.push(`refused ${s} ${(e as { code: string }).code}`),
      accepted: (s: string) => void events.push(`accepted ${s}`),
    };
    const lines: string[] = [];
    const log = createLogger("warn", "kafka", (l) => void lines.push(l));
    let broker = await startKafkaBroker({ host: "127.0.0.1", port: 0, dataDir, disk, log });
    const kafka = () =>
      new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    let producer = kafka().producer();
    try {
      await producer.connect();
      const send = (partition: number, value: string) =>
        producer.send({ topic: "full", acks: -1, messages: [{ partition, value }] });
      await send(0, "p0-first");
      await send(1, "p1-first");
      tmpfs!.fill();
      const big = "x".repeat(256 << 10); // cannot fit in a partly used page
      const err = await send(0, big).then(
        () => null,
        (e: { cause?: { type?: string; retriable?: boolean } } & { type?: string }) =>
          e.type ? e : (e.cause ?? e),
      );
      expect(err).toMatchObject({ type: "KAFKA_STORAGE_ERROR", retriable: true });
      expect(events.at(-1)).toBe("refused kafka ENOSPC");
      // both partitions still serve what they had; nothing of the refused batch is visible
      expect(await kcatRead(broker.address, "full", { partition: 0 })).toEqual(["p0-first"]);
      expect(await kcatRead(broker.address, "full", { partition: 1 })).toEqual(["p1-first"]);

      tmpfs!.unfill();
      const [ok] = await send(0, "p0-second");
      expect(ok!.baseOffset).toBe("1"); // the refused batch took no offset
      expect(events.at(-1)).toBe("accepted kafka");
      await producer.disconnect();
      await broker.stop();

      events.length = 0;
      broker = await startKafkaBroker({ host: "127.0.0.1", port: 0, dataDir, log, disk });
      producer = kafka().producer();
      expect(await kcatRead(broker.address, "full", { partition: 0 })).toEqual([
        "p0-first",
        "p0-second",
      ]);
      expect(lines.filter((l) => l.includes("truncated"))).toEqual([]);

      // librdkafka retries 56 too: kcat's records land once space returns
      tmpfs!.fill();
      const kcat = run(
        ["kcat", "-b", broker.address, "-P", "-t", "full", "-p", "1", "-X", "acks=all"],
        { stdin: `${"y".repeat(256 << 10)}\nkcat-last\n`, timeoutMs: 60_000 },
      );
      await waitFor(() => events.some((e) => e.startsWith("refused")), 30_000, "a refusal");
      tmpfs!.unfill();
      expect((await kcat).code).toBe(0);
      const p1 = await kcatRead(broker.address, "full", { partition: 1 });
      expect(p1.map((v) => v.slice(0, 9))).toEqual(["p1-first", "yyyyyyyyy", "kcat-last"]);
    } finally {
      await producer.disconnect().catch(() => {});
      await broker.stop();
    }
  }, 60_000);
});
