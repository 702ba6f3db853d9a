import { describe, expect, test } from "bun:test";
import { VideoHub } from "./video.ts";

const frame = (n: number) => Buffer.from([0xff, 0xd8, n, 0xff, 0xd9]);

describe("VideoHub", () => {
  test("a slow viewer gets the newest frame, never a queue of old ones", async () => {
    const hub = new VideoHub();
    const ac = new AbortController();
    const next = hub.next("cam", ac.signal);
    hub.publish("cam", frame(1));
    expect((await next)![2]).toBe(1);
    // the viewer is busy while 100 frames go by: nothing piles up for it
    for (let i = 2; i <= 101; i++) hub.publish("cam", frame(i));
    expect(hub.newest("cam")![2]).toBe(101);
    const after = hub.next("cam", ac.signal);
    hub.publish("cam", frame(102));
    expect((await after)![2]).toBe(102);
  });

  test("a viewer that leaves releases its waiter", async () => {
    const hub = new VideoHub();
    const ac = new AbortController();
    const pending = hub.next("cam", ac.signal);
    ac.abort();
    expect(await pending).toBeNull();
    hub.publish("cam", frame(1)); // nobody to deliver to, no error
    expect(hub.sources()).toEqual(["cam"]);
  });
});

describe("VideoHub bounds", () => {
  const limits = { maxSources: 3, maxFrameBytes: 8, idleMs: 1000 };

  test("a new source past maxSources evicts the one idle longest", () => {
    const evicted: string[] = [];
    let now = 0;
    const hub = new VideoHub(limits, { evicted: (r) => evicted.push(r) }, () => now);
    for (const s of ["a", "b", "c"]) hub.publish(s, frame(++now));
    hub.publish("a", frame(++now)); // a is fresh again: b is now the oldest
    hub.publish("d", frame(++now));
    expect(hub.sources().sort()).toEqual(["a", "c", "d"]);
    expect(evicted).toEqual(["max sources"]);
    expect(hub.bytes).toBe(15);
  });

  test("frames over maxFrameBytes are dropped; idle sources are forgotten", () => {
    const dropped: string[] = [];
    let now = 0;
    const hub = new VideoHub(limits, { dropped: (r) => dropped.push(r) }, () => now);
    hub.publish("big", Buffer.alloc(9, 0xff));
    expect(dropped).toEqual(["too large"]);
    expect(hub.sources()).toEqual([]);
    hub.publish("a", frame(1));
    now = 600;
    hub.publish("b", frame(2));
    now = 1500;
    expect(hub.sources()).toEqual(["b"]);
    expect(hub.newest("a")).toBeUndefined();
    expect(hub.bytes).toBe(5);
  });

  test("a frame that is a view into a larger buffer is kept as its own copy", () => {
    const batch = Buffer.alloc(1 << 20);
    frame(7).copy(batch, 100);
    const hub = new VideoHub();
    hub.publish("cam", batch.subarray(100, 105));
    expect(hub.newest("cam")!.buffer.byteLength).toBeLessThan(1 << 20);
  });
});
