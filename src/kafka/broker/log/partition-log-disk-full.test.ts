/**
 * The log when the disk refuses: on a real, tiny tmpfs (root only; skipped elsewhere) an append
 * that does not fit throws a StorageError and leaves the log exactly as it was, and appends
 * succeed again once space returns. Reopening finds no torn tail to cut.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, fdatasync, openSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { StorageError } from "../../../core/disk/errors.ts";
import { createLogger, silentLogger } from "../../../core/log/index.ts";
import { tempDirs } from "../../../../test/support/temp.ts";
import { encodeRecordBatch, scanBatches } from "../../protocol/record-batch.ts";
import { mountTmpfs } from "../../../../test/support/tmpfs.ts";
import { GroupCommit } from "./fsync-policy.ts";
import { LogManager } from "./log-manager.ts";
import { PartitionLog } from "./partition-log.ts";
import { TopicError } from "./topic-name.ts";

const tmpfs = mountTmpfs(4, "iot-plog-full-");
afterAll(() => tmpfs?.unmount());

function batch(prefix: string, n: number, bytes: number) {
  const buf = encodeRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({
      key: null,
      value: Buffer.from(`${prefix}${i}`.padEnd(bytes, "-")),
    })),
  });
  const scan = scanBatches(buf, { maxBatchBytes: 1 << 30 });
  if (!scan.ok) throw new Error(scan.reason);
  return [buf, scan.batches] as const;
}

describe.skipIf(!tmpfs)("PartitionLog on a full disk", () => {
  for (const writeInRounds of [true, false]) {
    const when = writeInRounds ? "written with its sync round" : "written at once";
    test(`a refused append (${when}) changes nothing; the next one after space returns succeeds`, async () => {
      const dir = join(tmpfs!.dir, `t-${writeInRounds}`);
      const opts = {
        segmentBytes: 64 << 20,
        indexIntervalBytes: 256,
        fsync: "always" as const,
        writeInRounds,
      };
      const warnings: string[] = [];
      const log = createLogger("warn", "test", (line) => void warnings.push(line));
      let epochs = 0;
      const plog = PartitionLog.open(dir, { ...opts, log, nextEpoch: () => ++epochs });
      plog.append(...batch("a", 10, 100));
      await plog.flushed();
      const size = statSync(
        join(
          dir,
          readdirSync(dir).find((f) => f.endsWith(".log"))!,
        ),
      ).size;
      tmpfs!.fill();
      // 256 KiB cannot fit: some pages may be written before ENOSPC — they must be cut back
      const big = batch("b", 64, 4096);
      if (writeInRounds) {
        // it waits in memory: the disk refuses it when a reader or its round writes it
        expect(plog.append(...big)).toEqual({ baseOffset: 10, lastOffset: 73 });
        expect(plog.read(10, 1 << 20).length).toBe(0); // never seen: not in the file
        expect(plog.read(0, 1 << 20).length).toBe(size);
        const refused = await plog.flushed().then(
          () => null,
          (e: unknown) => e,
        );
        expect(refused).toBeInstanceOf(StorageError);
        expect((refused as StorageError).code).toBe("ENOSPC");
        expect(epochs).toBe(0); // nobody saw the dropped offsets: no new epoch needed
      } else expect(() => plog.append(...big)).toThrow(StorageError);
      expect(plog.highWatermark).toBe(10);
      expect(plog.sizeBytes).toBe(size);
      expect(statSync(join(dir, "00000000000000000000.log")).size).toBe(size);
      expect(plog.read(0, 1 << 20).length).toBe(size); // reads still served
      tmpfs!.unfill();
      expect(plog.append(...batch("c", 64, 4096))).toEqual({ baseOffset: 10, lastOffset: 73 });
      await plog.flushed();
      plog.close();
      const reopened = PartitionLog.open(dir, { ...opts, log });
      expect(reopened.highWatermark).toBe(74);
      expect(warnings.filter((l) => l.includes("truncated"))).toEqual([]);
      reopened.close();
    });
  }
});

describe.skipIf(!tmpfs)("LogManager on a full disk", () => {
  test("a topic that cannot be saved is not created (56), and is once space returns", () => {
    const dataDir = join(tmpfs!.dir, "m");
    const logs = new LogManager({ dataDir }).open();
    logs.createTopic("before", 1);
    tmpfs!.fill();
    let err: unknown = null;
    try {
      for (let i = 0; i < 200; i++) logs.createTopic(`t${i}`, 2); // topics.json outgrows its page
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TopicError);
    expect((err as TopicError).errorCode).toBe(56);
    const listed = logs.topics().map((t) => t.name);
    logs.close();
    expect(
      new LogManager({ dataDir })
        .open()
        .topics()
        .map((t) => t.name),
    ).toEqual(listed);
    tmpfs!.unfill();
    const again = new LogManager({ dataDir }).open();
    again.createTopic("after", 1);
    expect(again.hasTopic("after")).toBe(true);
    again.close();
  });
});

describe("PartitionLog when fsync fails", () => {
  test("the failed round and the one queued behind it are refused; the unsynced tail is dropped", async () => {
    const dirs = tempDirs("iot-plog-eio-");
    try {
      const dir = dirs.make();
      let fail = false;
      const seam = (fd: number, done: (err: unknown) => void) => {
        if (!fail) return fdatasync(fd, done);
        const eio = Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
        setTimeout(() => done(eio), 5);
      };
      const opts = { segmentBytes: 64 << 20, indexIntervalBytes: 64, fsync: "always" as const };
      const plog = PartitionLog.open(dir, { ...opts, log: silentLogger, fdatasync: seam });
      plog.append(...batch("a", 3, 50));
      await plog.flushed();
      const size = plog.sizeBytes;
      fail = true;
      plog.append(...batch("b", 3, 50));
      const round = plog.flushed();
      plog.append(...batch("c", 3, 50)); // waits for the next round
      const queued = plog.flushed();
      const results = await Promise.allSettled([round, queued]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(plog.highWatermark).toBe(3);
      expect(plog.sizeBytes).toBe(size);
      fail = false;
      expect(plog.append(...batch("d", 3, 50))).toEqual({ baseOffset: 3, lastOffset: 5 });
      await plog.flushed();
      plog.close();
      const reopened = PartitionLog.open(dir, { ...opts, log: silentLogger });
      expect(reopened.highWatermark).toBe(6);
      expect(reopened.read(3, 1 << 20).length).toBeGreaterThan(0);
      reopened.close();
    } finally {
      dirs.cleanup();
    }
  });
});

describe("GroupCommit", () => {
  test("a failed sync rejects its round and the queued waiters, and says so once", async () => {
    const failures: unknown[] = [];
    const fd = openSync("/dev/null", "r"); // fdatasync on a character device: EINVAL
    const commit = new GroupCommit(() => fd, { failed: (e) => failures.push(e) });
    const results = await Promise.allSettled([commit.sync(), commit.sync(), commit.sync()]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(failures).toHaveLength(1);
    closeSync(fd);
  });
});
