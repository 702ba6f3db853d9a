import { describe, expect, test } from "bun:test";
import { costOf, prefixOf, RetainedStore, type RetainedPacket } from "./retained.ts";

const msg = (topic: string, bytes: number): RetainedPacket => ({
  cmd: "publish",
  topic,
  payload: Buffer.alloc(bytes, 1),
  qos: 1,
  retain: true,
});

describe("retained store budgets", () => {
  test("prefixes are the first two topic levels", () => {
    expect(prefixOf("iot/dev1/command")).toBe("iot/dev1");
    expect(prefixOf("iot/dev1")).toBe("iot/dev1");
    expect(prefixOf("coffee")).toBe("coffee");
  });

  test("a prefix over its budget loses its own oldest messages, not another device's", () => {
    const evicted: string[] = [];
    const cost = costOf("iot/a/x/0", Buffer.alloc(1000));
    const s = new RetainedStore({ maxBytes: 1 << 20, maxBytesPerPrefix: cost * 3 }, (t, r) =>
      evicted.push(`${t}:${r}`),
    );
    s.store(msg("iot/b/command", 1000));
    for (let i = 0; i < 5; i++) s.store(msg(`iot/a/x/${i}`, 1000));
    expect(evicted).toEqual(["iot/a/x/0:prefix budget", "iot/a/x/1:prefix budget"]);
    expect([...s.matching(["iot/a/#"])].map((p) => p.topic)).toEqual([
      "iot/a/x/2",
      "iot/a/x/3",
      "iot/a/x/4",
    ]);
    expect(s.get("iot/b/command")).toBeDefined();
  });

  test("over the total budget the oldest anywhere goes; a rewrite makes a topic young again", () => {
    const evicted: string[] = [];
    const cost = costOf("t/0", Buffer.alloc(100));
    const s = new RetainedStore({ maxBytes: cost * 3, maxBytesPerPrefix: 1 << 20 }, (t) =>
      evicted.push(t),
    );
    s.store(msg("t/0", 100));
    s.store(msg("t/1", 100));
    s.store(msg("t/2", 100));
    s.store(msg("t/0", 100)); // t/0 is now the newest
    s.store(msg("t/3", 100));
    expect(evicted).toEqual(["t/1"]);
    expect(s.size).toBe(3);
    expect(s.bytes).toBe(cost * 3);
  });

  test("an empty payload deletes; a message larger than a budget is not kept", () => {
    const evicted: string[] = [];
    const s = new RetainedStore({ maxBytes: 10_000, maxBytesPerPrefix: 5_000 }, (t, r) =>
      evicted.push(`${t}:${r}`),
    );
    s.store(msg("a/b", 10));
    s.store(msg("a/b", 0));
    expect(s.size).toBe(0);
    s.store(msg("a/c", 10));
    s.store(msg("a/c", 6_000));
    expect(evicted).toEqual(["a/c:too large"]);
    expect(s.size).toBe(0);
    expect(s.bytes).toBe(0);
  });

  test("# does not match $ topics [MQTT-4.7.2-1]", () => {
    const s = new RetainedStore({ maxBytes: 1 << 20, maxBytesPerPrefix: 1 << 20 });
    s.store(msg("$SYS/x", 1));
    s.store(msg("a/b", 1));
    expect([...s.matching(["#"])].map((p) => p.topic)).toEqual(["a/b"]);
  });
});
