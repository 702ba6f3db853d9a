import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  BATCH,
  encodeRecordBatch,
  readBatchHeader,
  scanBatches,
} from "../../protocol/record-batch.ts";
import { tempDirs } from "../../../../test/support/temp.ts";
import { LogManager } from "./log-manager.ts";
import { TopicError } from "./topic-name.ts";

const dirs = tempDirs("iot-logs-");
afterEach(() => dirs.cleanup());

function append(m: LogManager, topic: string, p: number) {
  const buf = encodeRecordBatch({ records: [{ key: null, value: Buffer.from("v") }] });
  const scan = scanBatches(buf, { maxBatchBytes: 1 << 20 });
  if (!scan.ok) throw new Error(scan.reason);
  return m.partition(topic, p)!.append(buf, scan.batches);
}

const code = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as TopicError).errorCode;
  }
  return 0;
};

describe("LogManager", () => {
  test("fsyncGatherMs reaches the partition logs: a trickle of acked appends shares syncs", async () => {
    const m = new LogManager({ dataDir: dirs.make(), fsyncGatherMs: 20 }).open();
    m.createTopic("trickle", 1);
    const log = m.partition("trickle", 0)!;
    const t0 = performance.now();
    const acks: Promise<void>[] = [];
    for (let i = 0; i < 15; i++) {
      // two producers each ms (the second overlaps the first's sync: worth gathering)
      for (const _ of [1, 2]) {
        append(m, "trickle", 0);
        acks.push(log.flushed({ gather: true }));
      }
      await Bun.sleep(1);
    }
    await Promise.all(acks);
    const elapsed = performance.now() - t0;
    // rounds begin ≥ 20 ms apart (a timer may fire a ms early); without the gather: 30 syncs
    // (two a turn: one at once, one at the end of the turn)
    expect(log.fsyncCount).toBeLessThanOrEqual(Math.floor(elapsed / 19) + 1);
    expect(m.fsyncCount()).toBe(log.fsyncCount); // what /metrics shows
    expect(m.inlineFsyncCount()).toBe(log.inlineFsyncCount);
    m.close();
  });

  test("creates, lists, reopens and deletes topics", () => {
    const dataDir = dirs.make();
    let m = new LogManager({ dataDir }).open();
    m.createTopic("temp_test", 2);
    m.createTopic("a.b-c", 1);
    append(m, "temp_test", 1);
    append(m, "temp_test", 1);
    m.close();
    m = new LogManager({ dataDir }).open();
    expect(m.topics()).toEqual([
      { name: "temp_test", partitions: 2 },
      { name: "a.b-c", partitions: 1 },
    ]);
    expect(m.partition("temp_test", 1)!.highWatermark).toBe(2);
    expect(m.partition("temp_test", 2)).toBeUndefined();
    m.deleteTopic("temp_test");
    expect(existsSync(join(dataDir, "kafka", "temp_test-0"))).toBe(false);
    m.close();
    m = new LogManager({ dataDir }).open();
    expect(m.topics().map((t) => t.name)).toEqual(["a.b-c"]);
    m.close();
  });

  test("refuses bad names, duplicates and partition counts with Kafka's error codes", () => {
    const m = new LogManager({ dataDir: dirs.make(), maxPartitions: 100 }).open();
    m.createTopic("t", 1);
    expect(code(() => m.createTopic("t", 1))).toBe(36);
    for (const bad of ["", ".", "..", "a/b", "x".repeat(250), "sp ace"]) {
      expect(code(() => m.createTopic(bad, 1))).toBe(17);
    }
    expect(code(() => m.createTopic("p0", 0))).toBe(37);
    expect(code(() => m.createTopic("p1", 101))).toBe(37);
    expect(code(() => m.deleteTopic("nope"))).toBe(3);
    m.close();
  });

  test("refuses a topic past the broker-wide partition cap with POLICY_VIOLATION", () => {
    const m = new LogManager({ dataDir: dirs.make(), maxTotalPartitions: 10 }).open();
    m.createTopic("a", 6);
    m.createTopic("b", 4); // exactly at the cap
    expect(m.totalPartitions()).toBe(10);
    expect(code(() => m.createTopic("c", 1))).toBe(44);
    expect(m.hasTopic("c")).toBe(false);
    m.deleteTopic("b"); // room again
    m.createTopic("c", 4);
    expect(code(() => m.createTopic("d", 1))).toBe(44);
    m.close();
  });

  test("notifies append listeners", () => {
    const m = new LogManager({ dataDir: dirs.make() }).open();
    const seen: string[] = [];
    const off = m.onAppend((t, p) => seen.push(`${t}/${p}`));
    m.notifyAppend("t", 1);
    off();
    m.notifyAppend("t", 2);
    expect(seen).toEqual(["t/1"]);
    m.close();
  });

  describe("a topic's incarnation", () => {
    const epochAt = (m: LogManager, topic: string, offset: number) => {
      const bytes = m.partition(topic, 0)!.read(offset, 1 << 20);
      expect(readBatchHeader(bytes, 0).baseOffset).toBe(offset);
      return new DataView(bytes.buffer, bytes.byteOffset).getInt32(BATCH.LEADER_EPOCH);
    };

    test("its topic id is kept across a restart and new when the topic is created again", () => {
      const dataDir = dirs.make();
      let m = new LogManager({ dataDir }).open();
      m.createTopic("iot.telemetry", 2);
      const first = m.topicId("iot.telemetry")!;
      expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      m.close();
      m = new LogManager({ dataDir }).open();
      expect(m.topicId("iot.telemetry")).toBe(first);
      m.deleteTopic("iot.telemetry");
      expect(m.topicId("iot.telemetry")).toBeUndefined();
      m.createTopic("iot.telemetry", 2);
      const second = m.topicId("iot.telemetry")!;
      expect(second).not.toBe(first);
      m.close();
      m = new LogManager({ dataDir }).open();
      expect(m.topicId("iot.telemetry")).toBe(second);
      m.close();
    });

    test("offsets given again (re-creation, restart after a cut) come under a new leader epoch", () => {
      const dataDir = dirs.make();
      let m = new LogManager({ dataDir }).open();
      m.createTopic("t", 1);
      append(m, "t", 0);
      append(m, "t", 0);
      const e1 = epochAt(m, "t", 0);
      expect(epochAt(m, "t", 1)).toBe(e1);
      m.deleteTopic("t");
      m.createTopic("t", 1);
      append(m, "t", 0);
      const e2 = epochAt(m, "t", 0);
      expect(e2).toBeGreaterThan(e1);
      m.close();
      // a restart is a new leadership: what it appends (maybe at offsets a torn tail freed) too
      m = new LogManager({ dataDir }).open();
      expect(epochAt(m, "t", 0)).toBe(e2); // stored batches keep theirs
      append(m, "t", 0);
      expect(epochAt(m, "t", 1)).toBeGreaterThan(e2);
      m.close();
    });
  });
});
