import { afterEach, describe, expect, test } from "bun:test";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import type { KafkaRecord } from "./mapping.ts";
import { Spool } from "./spool.ts";

const dirs = tempDirs("iot-spool-");
afterEach(() => dirs.cleanup());
const rec = (i: number): KafkaRecord => ({
  topic: "iot.telemetry",
  key: `d${i}`,
  value: Buffer.from(`v${i}`),
  headers: { n: String(i) },
});

describe("Spool", () => {
  test("keeps order across reopen and drops a torn tail", () => {
    const dir = dirs.make();
    let s = new Spool(dir, 1 << 20);
    s.append([rec(1), rec(2)]);
    s.append([rec(3)]);
    s.close();
    appendFileSync(join(dir, "bridge-spool.log"), Buffer.from([0, 0, 0, 50, 1, 2, 3]));
    s = new Spool(dir, 1 << 20);
    expect(s.peek(10).map((r) => r.key)).toEqual(["d1", "d2", "d3"]);
    expect(s.peek(1)[0]!.value.toString()).toBe("v1");
    s.remove(2);
    s.close();
    s = new Spool(dir, 1 << 20);
    expect(s.peek(10).map((r) => r.key)).toEqual(["d3"]);
    s.close();
  });

  test("is bounded: the oldest records go first, counted", () => {
    const s = new Spool(dirs.make(), 400);
    for (let i = 0; i < 20; i++) s.append([rec(i)]);
    expect(s.bytes).toBeLessThanOrEqual(400);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.peek(100).at(-1)!.key).toBe("d19");
    s.close();
  });
});
