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
