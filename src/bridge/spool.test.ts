import { afterEach, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { encodeEntry } from "../core/queue/journal.ts";
import type { KafkaRecord } from "./mapping.ts";
import { Spool } from "./spool.ts";

const dirs = tempDirs("iot-spool-");
afterEach(() => dirs.cleanup());
const rec = (i: number): KafkaRecord => ({
  topic: "iot.telemetry",
  key: `d${i}`,
  value: Buffer.from([i & 0xff, 0xff, 0x00]),
  headers: { n: String(i) },
});
const keys = (s: Spool, max = 1000) => s.peek(max).items.map((r) => r.key);
/** drains everything the way the bridge does: peek a batch, ack it */
const drain = (s: Spool, batch: number) => {
  const out: Array<string | null> = [];
  while (s.length > 0) {
    const { items: records, end } = s.peek(batch);
    out.push(...records.map((r) => r.key));
    s.ack(end);
  }
  return out;
};

describe("Spool", () => {
  test("keeps records and order across reopen, and drops a torn tail", () => {
    const dir = dirs.make();
    let s = new Spool(dir, 1 << 20);
    s.append([rec(1), rec(2)]);
    s.append([rec(3)]);
    s.close();
    const [segment] = readdirSync(join(dir, "bridge-spool")).filter((f) => f.endsWith(".log"));
    appendFileSync(join(dir, "bridge-spool", segment!), Buffer.from([0, 0, 0, 50, 1, 2, 3]));
    s = new Spool(dir, 1 << 20);
    expect(s.length).toBe(3);
    expect(keys(s)).toEqual(["d1", "d2", "d3"]);
    const first = s.peek(1).items[0]!;
    expect(first).toEqual(rec(1));
    s.append([rec(4)]); // appends after the cut, not after the garbage
    s.close();
    s = new Spool(dir, 1 << 20);
    expect(keys(s)).toEqual(["d1", "d2", "d3", "d4"]);
    s.close();
  });

  test("acknowledged records are not read again after a restart", () => {
    const dir = dirs.make();
    let s = new Spool(dir, 1 << 20);
    s.append([1, 2, 3, 4, 5].map(rec));
    s.ack(s.peek(2).end);
    expect(s.length).toBe(3);
    s.close();
    s = new Spool(dir, 1 << 20);
    expect(s.length).toBe(3);
    expect(keys(s)).toEqual(["d3", "d4", "d5"]);
    s.close();
  });

  test("drains in order across many segments, then gives the disk space back", () => {
    const dir = dirs.make();
    const s = new Spool(dir, 1 << 20, 200);
    for (let i = 0; i < 50; i++) s.append([rec(i)]);
    expect(readdirSync(join(dir, "bridge-spool")).length).toBeGreaterThan(5);
    expect(drain(s, 7)).toEqual(Array.from({ length: 50 }, (_, i) => `d${i}`));
    expect(s.length).toBe(0);
    expect(s.bytes).toBe(0);
    expect(readdirSync(join(dir, "bridge-spool")).filter((f) => f.endsWith(".log"))).toHaveLength(
      1,
    );
    s.append([rec(99)]);
    expect(keys(s)).toEqual(["d99"]);
    s.close();
  });

  test("is bounded: whole oldest segments are dropped and counted, newest kept", () => {
    const s = new Spool(dirs.make(), 1000, 200);
    for (let i = 0; i < 100; i++) s.append([rec(i)]);
    expect(s.bytes).toBeLessThanOrEqual(1000);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.dropped + s.length).toBe(100);
    const left = drain(s, 10);
    expect(left.at(-1)).toBe("d99");
    expect(left[0]).toBe(`d${s.dropped}`); // a contiguous newest range
    s.close();
  });

  test("an ack for records the bound already dropped changes nothing", () => {
    const s = new Spool(dirs.make(), 600, 150);
    s.append([rec(0), rec(1)]);
    const stale = s.peek(2).end;
    for (let i = 2; i < 40; i++) s.append([rec(i)]);
    const before = keys(s);
    expect(before[0]).not.toBe("d0");
    s.ack(stale);
    expect(keys(s)).toEqual(before);
    s.close();
  });

  test("records in the first format's bridge-spool.log are taken over once", () => {
    const dir = dirs.make();
    const old = (i: number) => encodeEntry({ t: "coffee", k: `o${i}`, h: {}, v: "eA==" });
    writeFileSync(join(dir, "bridge-spool.log"), Buffer.concat([old(1), old(2)]));
    let s = new Spool(dir, 1 << 20);
    expect(keys(s)).toEqual(["o1", "o2"]);
    expect(s.peek(1).items[0]!.value.toString()).toBe("x");
    expect(existsSync(join(dir, "bridge-spool.log"))).toBe(false);
    s.close();
    s = new Spool(dir, 1 << 20);
    expect(s.length).toBe(2);
    s.close();
  });
});
