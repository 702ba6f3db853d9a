import { afterEach, describe, expect, test } from "bun:test";
import {
  appendFileSync,
  cpSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../../core/log/index.ts";
import { decodeRecords, encodeRecordBatch, scanBatches } from "../../protocol/record-batch.ts";
import { tempDirs } from "../../../../test/support/temp.ts";
import { PartitionLog, type PartitionLogOptions } from "./partition-log.ts";

const dirs = tempDirs("iot-plog-");
afterEach(() => dirs.cleanup());

const opts = (o: Partial<PartitionLogOptions> = {}): PartitionLogOptions => ({
  segmentBytes: 64 << 20,
  indexIntervalBytes: 256,
  fsync: "always",
  log: silentLogger,
  ...o,
});

/** Appends one batch of `n` records valued `${prefix}${i}`, as the Produce handler does. */
function produce(log: PartitionLog, prefix: string, n = 3, pad = 0) {
  const buf = encodeRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({
      key: null,
      value: Buffer.from(`${prefix}${i}${"-".repeat(pad)}`),
    })),
  });
  const scan = scanBatches(buf, { maxBatchBytes: 1 << 30 });
  if (!scan.ok) throw new Error(scan.reason);
  return log.append(buf, scan.batches);
}

function values(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const len = 12 + new DataView(bytes.buffer, bytes.byteOffset + pos + 8, 4).getInt32(0);
    out.push(
      ...decodeRecords(bytes.subarray(pos, pos + len)).map(
        (r) => `${r.offset}:${Buffer.from(r.value!).toString().replace(/-+$/, "")}`,
      ),
    );
    pos += len;
  }
  return out;
}

/** Damages the last batch of the first segment in place (same size): only its CRC tells. */
function flipLastBatchByte(dir: string) {
  const file = join(dir, "00000000000000000000.log");
  const buf = readFileSync(file);
  buf[buf.length - 3] ^= 0x55;
  writeFileSync(file, buf);
}

describe("PartitionLog", () => {
  test("assigns consecutive offsets and reads whole batches from the one holding the offset", () => {
    const log = PartitionLog.open(dirs.make(), opts());
    expect(produce(log, "a")).toEqual({ baseOffset: 0, lastOffset: 2 });
    expect(produce(log, "b")).toEqual({ baseOffset: 3, lastOffset: 5 });
    expect(log.highWatermark).toBe(6);
    expect(values(log.read(0, 1 << 20))).toEqual(["0:a0", "1:a1", "2:a2", "3:b0", "4:b1", "5:b2"]);
    // offset 4 is inside the second batch: the batch comes whole, the client skips 3
    expect(values(log.read(4, 1 << 20))).toEqual(["3:b0", "4:b1", "5:b2"]);
    expect(log.read(6, 1 << 20).length).toBe(0);
    log.close();
  });

  test("maxBytes limits to whole batches, but the first batch always comes even if larger", () => {
    const log = PartitionLog.open(dirs.make(), opts());
    for (let i = 0; i < 5; i++) produce(log, `x${i}-`, 2, 500);
    expect(values(log.read(0, 10))).toEqual(["0:x0-0", "1:x0-1"]);
    const two = log.read(0, 2400);
    expect(values(two)).toHaveLength(4);
    log.close();
  });

  test("rolls segments and reads across them; reopens with the same offsets", () => {
    const dir = dirs.make();
    let log = PartitionLog.open(dir, opts({ segmentBytes: 1024 }));
    for (let i = 0; i < 20; i++) produce(log, `s${i}-`, 2, 100);
    expect(readdirSync(dir).filter((f) => f.endsWith(".log")).length).toBeGreaterThan(3);
    expect(values(log.read(25, 1 << 20))[0]).toMatch(/^24:|^25:/);
    log.close();
    log = PartitionLog.open(dir, opts({ segmentBytes: 1024 }));
    expect(log.highWatermark).toBe(40);
    expect(values(log.read(39, 1 << 20)).at(-1)).toBe("39:s19-1");
    expect(produce(log, "after").baseOffset).toBe(40);
    log.close();
  });

  test("recovery truncates a torn tail and garbage; appends continue at the right offset", () => {
    const dir = dirs.make();
    let log = PartitionLog.open(dir, opts());
    produce(log, "ok");
    produce(log, "torn");
    log.close();
    const file = join(dir, "00000000000000000000.log");
    const size = statSync(file).size;
    // a half-written batch: cut the second batch in the middle, then add junk
    const fs = require("node:fs");
    fs.truncateSync(file, size - 10);
    appendFileSync(
      file,
      Buffer.from("garbage garbage garbage garbage garbage garbage garbage garbage"),
    );
    log = PartitionLog.open(dir, opts());
    expect(log.highWatermark).toBe(3);
    expect(values(log.read(0, 1 << 20))).toEqual(["0:ok0", "1:ok1", "2:ok2"]);
    expect(produce(log, "new").baseOffset).toBe(3);
    log.close();
  });

  test("after a crash, a corrupt byte in the last batch is caught by its CRC", () => {
    const dir = dirs.make();
    let log = PartitionLog.open(dir, opts());
    produce(log, "keep");
    produce(log, "flip");
    log.close();
    unlinkSync(join(dir, "clean-shutdown.json")); // what a crash leaves: no clean close
    flipLastBatchByte(dir);
    log = PartitionLog.open(dir, opts());
    expect(log.highWatermark).toBe(3);
    log.close();
  });

  test("after a clean close the active segment is reopened without a scan, once", () => {
    const dir = dirs.make();
    let log = PartitionLog.open(dir, opts());
    produce(log, "keep");
    produce(log, "flip");
    log.close();
    expect(readdirSync(dir)).toContain("clean-shutdown.json");
    // a scan would cut this batch (as above): trusted, the log keeps its end and offsets go on
    flipLastBatchByte(dir);
    log = PartitionLog.open(dir, opts());
    expect(log.highWatermark).toBe(6);
    expect(values(log.read(0, 3))).toEqual(["0:keep0", "1:keep1", "2:keep2"]);
    // the record is used up by the open: a crash from here on means a scan at the next start
    expect(readdirSync(dir)).not.toContain("clean-shutdown.json");
    const crashed = PartitionLog.open(dir, opts()); // (the first one never closed: a crash)
    expect(crashed.highWatermark).toBe(3);
    crashed.close();
    log.close();
  });

  test("a clean-shutdown record that does not match the file is not trusted", () => {
    const dir = dirs.make();
    let log = PartitionLog.open(dir, opts());
    produce(log, "ok");
    produce(log, "torn");
    log.close();
    // grown after the close (by a later run that crashed and left a stale record behind)
    appendFileSync(join(dir, "00000000000000000000.log"), Buffer.from("garbage after the close"));
    log = PartitionLog.open(dir, opts());
    expect(log.highWatermark).toBe(6);
    expect(produce(log, "next").baseOffset).toBe(6);
    log.close();
  });

  test("a deleted or damaged index of a closed segment is rebuilt", () => {
    const dir = dirs.make();
    let log = PartitionLog.open(dir, opts({ segmentBytes: 2048 }));
    for (let i = 0; i < 30; i++) produce(log, `i${i}-`, 1, 200);
    log.close();
    const indexes = readdirSync(dir).filter((f) => f.endsWith(".index"));
    unlinkSync(join(dir, indexes[0]!));
    appendFileSync(join(dir, indexes[1]!), Buffer.from([1, 2, 3]));
    log = PartitionLog.open(dir, opts({ segmentBytes: 2048 }));
    for (const off of [0, 7, 13, 29]) expect(values(log.read(off, 1))[0]).toBe(`${off}:i${off}-0`);
    log.close();
  });

  test("retention by size and by age deletes old segments and advances the log start", () => {
    const dir = dirs.make();
    const log = PartitionLog.open(dir, opts({ segmentBytes: 1024 }));
    for (let i = 0; i < 30; i++) produce(log, `r${i}-`, 1, 300);
    const before = log.sizeBytes;
    log.enforceRetention(Date.now(), -1, 3000);
    expect(log.sizeBytes).toBeLessThan(before);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(3000 - 1024);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.read(0, 100).length).toBe(0);
    // age: make every closed segment old
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".log"))) {
      utimesSync(join(dir, f), new Date(0), new Date(0));
    }
    log.enforceRetention(Date.now(), 60_000, -1);
    expect(readdirSync(dir).filter((f) => f.endsWith(".log"))).toHaveLength(1);
    expect(log.logStartOffset).toBe(
      log.highWatermark - 0 - (log.highWatermark - log.logStartOffset),
    );
    expect(produce(log, "z").baseOffset).toBe(30);
    log.close();
  });

  test("group commit: concurrent flushes share fdatasync calls", async () => {
    const log = PartitionLog.open(dirs.make(), opts());
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      produce(log, `g${i}`);
      waits.push(log.flushed());
    }
    await Promise.all(waits);
    expect(log.fsyncCount).toBeGreaterThan(0);
    expect(log.fsyncCount).toBeLessThanOrEqual(2); // one in flight, one for everyone who came after
    await log.flushed(); // nothing new: no sync
    expect(log.fsyncCount).toBeLessThanOrEqual(2);
    log.close();
  });

  test("with a gather, close() syncs the gathered produce at once: acked, then the files released", async () => {
    const synced: number[] = [];
    const log = PartitionLog.open(
      dirs.make(),
      opts({
        fsyncGatherMs: 60_000,
        fdatasync: (fd, done) => {
          synced.push(fd);
          setImmediate(() => done(null));
        },
      }),
    );
    produce(log, "a");
    const first = log.flushed({ gather: true }); // the first after a quiet spell: at once
    produce(log, "b");
    const gathered = log.flushed({ gather: true }); // overlaps it: waits for the gather (a minute)
    await first;
    await Bun.sleep(5);
    expect(synced).toHaveLength(1);
    log.close(); // the topic is deleted, or the broker stops
    expect(synced).toHaveLength(2); // the gathered round began at once, on the open file
    expect(() => fstatSync(synced[1]!)).not.toThrow();
    await gathered; // resolved, not refused as "closed"
    expect(() => fstatSync(synced[1]!)).toThrow("EBADF");
  });

  test("with a gather set, flushed() without asking for it syncs as without one (a Kafka client's produce)", async () => {
    const begun: number[] = [];
    const log = PartitionLog.open(
      dirs.make(),
      opts({
        fsyncGatherMs: 60_000,
        fdatasync: (fd, done) => {
          begun.push(fd);
          setTimeout(() => done(null), 2);
        },
      }),
    );
    for (let i = 0; i < 5; i++) {
      // two clients, each sending again once acked: they overlap, and would wait a minute
      produce(log, `a${i}`);
      const a = log.flushed();
      produce(log, `b${i}`);
      await Promise.all([a, log.flushed()]);
    }
    expect(begun).toHaveLength(10); // one at once, one at the end of the turn, as without a gather
    log.close();
  });

  test("offsetForTimestamp finds the first batch at or after a time", () => {
    const log = PartitionLog.open(dirs.make(), opts());
    for (const [i, ts] of [1000, 2000, 3000].entries()) {
      const buf = encodeRecordBatch({
        records: [{ key: null, value: Buffer.from(`t${i}`), timestamp: ts }],
      });
      const scan = scanBatches(buf, { maxBatchBytes: 1 << 20 });
      if (scan.ok) log.append(buf, scan.batches);
    }
    expect(log.offsetForTimestamp(1500)).toBe(1);
    expect(log.offsetForTimestamp(3000)).toBe(2);
    expect(log.offsetForTimestamp(9999)).toBeNull();
    log.close();
  });

  describe("writes in sync rounds (fsync always)", () => {
    const logFile = (dir: string, base = 0) => join(dir, `${String(base).padStart(20, "0")}.log`);

    test("appends wait in memory; the round writes them all before its fdatasync", async () => {
      const dir = dirs.make();
      const atSync: Array<{ file: number; appended: number }> = [];
      const log = PartitionLog.open(
        dir,
        opts({
          fdatasync: (fd, done) => {
            atSync.push({ file: fstatSync(fd).size, appended: log.sizeBytes });
            fdatasync(fd, done);
          },
        }),
      );
      for (let i = 0; i < 20; i++) produce(log, `w${i}-`, 2, 50);
      expect(statSync(logFile(dir)).size).toBe(0); // one write for all of them, later
      await log.flushed();
      expect(atSync).toEqual([{ file: log.sizeBytes, appended: log.sizeBytes }]);
      expect(values(log.read(0, 1 << 20))).toHaveLength(40);
      log.close();
    });

    /** a log whose second of two overlapping rounds is quiet (see the test below) */
    const gatheringLog = (fdatasync: PartitionLogOptions["fdatasync"]) =>
      PartitionLog.open(
        dirs.make(),
        opts({
          fsyncGatherMs: 50,
          fsyncInlineMaxMs: 10_000, // whatever the first sync took on a loaded machine
          fdatasync,
        }),
      );

    /** "a" synced at once via the pool; "b" overlapping it, so waiting for the gather */
    const twoRounds = (log: PartitionLog, n?: number, pad?: number) => {
      produce(log, "a", n, pad);
      const first = log.flushed({ gather: true });
      produce(log, "b", n, pad);
      return { first, gathered: log.flushed({ gather: true }) };
    };

    test("a quiet round (its gather ended, nothing in flight) writes and syncs inline", async () => {
      const atSync: Array<{ inline: boolean; file: number }> = [];
      const log = gatheringLog((fd, done, inline) => {
        atSync.push({ inline: inline === true, file: fstatSync(fd).size });
        if (!inline) return fdatasync(fd, done);
        fdatasyncSync(fd);
        done(null);
      });
      const { first, gathered } = twoRounds(log, 2, 50);
      await Promise.all([first, gathered]);
      // by the gather's end the first sync had returned: the second round is quiet
      expect(atSync.map((a) => a.inline)).toEqual([false, true]);
      expect(atSync[1]!.file).toBe(log.sizeBytes); // its appends written before its sync
      expect(log.inlineFsyncCount).toBe(1);
      expect(values(log.read(0, 1 << 20))).toEqual(["0:a0", "1:a1", "2:b0", "3:b1"]);
      log.close();
    });

    test("a failed inline sync drops the unsynced tail and fails its waiters, as via the pool", async () => {
      const log = gatheringLog((fd, done, inline) => {
        if (!inline) return fdatasync(fd, done);
        throw Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
      });
      const { first, gathered } = twoRounds(log);
      await first;
      await expect(gathered).rejects.toThrow("EIO");
      expect(log.inlineFsyncCount).toBe(1);
      expect(values(log.read(0, 1 << 20))).toEqual(["0:a0", "1:a1", "2:a2"]); // b's are gone
      expect(log.highWatermark).toBe(3);
      log.close();
    });

    test("a read sees every appended record: what is pending is written first", () => {
      const dir = dirs.make();
      const log = PartitionLog.open(dir, opts());
      produce(log, "a");
      produce(log, "b");
      expect(statSync(logFile(dir)).size).toBe(0);
      expect(values(log.read(3, 1 << 20))).toEqual(["3:b0", "4:b1", "5:b2"]);
      expect(statSync(logFile(dir)).size).toBe(log.sizeBytes);
      produce(log, "c");
      expect(log.offsetForTimestamp(0)).toBe(0);
      expect(statSync(logFile(dir)).size).toBe(log.sizeBytes);
      log.close();
    });

    test("a crash between an append and its round: every acknowledged record is there after recovery", async () => {
      const dir = dirs.make();
      const log = PartitionLog.open(dir, opts({ fsyncGatherMs: 60_000 }));
      for (let i = 0; i < 5; i++) {
        produce(log, `acked${i}-`, 2, 30);
        await log.flushed({ gather: true });
      }
      // the next ones wait for a gathered round (a minute): the process dies meanwhile
      produce(log, "late");
      const late = log.flushed({ gather: true });
      produce(log, "later");
      void late.catch(() => {});
      const crashed = dirs.make();
      cpSync(dir, crashed, { recursive: true }); // what the kernel holds when the process dies
      const reopened = PartitionLog.open(crashed, opts());
      expect(reopened.highWatermark).toBeGreaterThanOrEqual(10);
      expect(values(reopened.read(0, 1 << 20)).slice(0, 10)).toEqual(
        Array.from({ length: 10 }, (_, i) => `${i}:acked${i >> 1}-${i & 1}`),
      );
      expect(produce(reopened, "next").baseOffset).toBe(reopened.highWatermark - 3);
      reopened.close();
      log.close();
      await late;
    });

    test("a roll writes and syncs the old segment's pending appends; nothing is lost across it", async () => {
      const dir = dirs.make();
      const log = PartitionLog.open(dir, opts({ segmentBytes: 1024 }));
      const acks: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        produce(log, `r${i}-`, 2, 100);
        acks.push(log.flushed());
      }
      await Promise.all(acks);
      const crashed = dirs.make();
      cpSync(dir, crashed, { recursive: true });
      const reopened = PartitionLog.open(crashed, opts({ segmentBytes: 1024 }));
      expect(reopened.highWatermark).toBe(40);
      expect(values(reopened.read(0, 1 << 20))[0]).toBe("0:r0-0");
      expect(values(reopened.read(39, 1 << 20)).at(-1)).toBe("39:r19-1");
      reopened.close();
      log.close();
    });

    test("appends past the pending bound are written at once", () => {
      const dir = dirs.make();
      const log = PartitionLog.open(dir, opts());
      for (let i = 0; i < 12; i++) produce(log, `big${i}-`, 8, 16 << 10); // ~128 KiB each
      expect(statSync(logFile(dir)).size).toBeGreaterThan(0);
      expect(log.sizeBytes - statSync(logFile(dir)).size).toBeLessThanOrEqual(1 << 20);
      log.close();
    });

    test("an interval policy writes each append at once (a process crash loses nothing acked)", () => {
      const dir = dirs.make();
      const log = PartitionLog.open(dir, opts({ fsync: 1000 }));
      produce(log, "a");
      expect(statSync(logFile(dir)).size).toBe(log.sizeBytes);
      log.close();
    });
  });

  // Found by the fuzz chaos scenario (DeleteTopics racing a Produce): close() closed the files
  // under an fdatasync in flight; the failed sync then cut "the unsynced tail" with ftruncate on
  // a descriptor number the kernel had already handed to another file.
  test("close() during a group commit keeps the files open until the sync returns", async () => {
    let finish: ((err: unknown) => void) | undefined;
    let syncedFd = -1;
    const log = PartitionLog.open(
      dirs.make(),
      opts({
        fdatasync: (fd, done) => {
          syncedFd = fd;
          finish = done;
        },
      }),
    );
    produce(log, "a");
    const flushed = log.flushed();
    log.close(); // the topic is deleted while the produce waits for its sync
    expect(() => fstatSync(syncedFd)).not.toThrow(); // still ours: no other file can get it
    finish!(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    await expect(flushed).rejects.toThrow("EIO");
    expect(() => fstatSync(syncedFd)).toThrow("EBADF"); // released once the sync is done
  });
});
