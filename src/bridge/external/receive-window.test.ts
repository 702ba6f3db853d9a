import { describe, expect, test } from "bun:test";
import { ReceiveWindow } from "./receive-window.ts";

/** messages are numbers; odd ones are QoS 1 and stay in flight until `ack` */
function setup(max: number) {
  const started: number[] = [];
  const inFlight = new Set<number>();
  const reading: boolean[] = [];
  const window = new ReceiveWindow<number>({
    max,
    inFlight: () => inFlight.size,
    start: (m) => (started.push(m), m % 2 === 1 && inFlight.add(m)),
    reading: (on) => reading.push(on),
  });
  return { window, started, inFlight, reading };
}

describe("ReceiveWindow", () => {
  test("hands on up to max QoS 1 messages, then holds the rest in order and stops reading", () => {
    const { window, started, inFlight, reading } = setup(2);
    for (const m of [1, 2, 3, 5, 6, 7]) window.receive(m);
    expect(started).toEqual([1, 2, 3]); // 2 is QoS 0: it does not count
    expect(window.backlog).toBe(3);
    expect(reading).toEqual([false]);
    inFlight.delete(1);
    window.drain();
    expect(started).toEqual([1, 2, 3, 5]);
    expect(reading).toEqual([false]); // 6 and 7 still wait
    inFlight.delete(3);
    inFlight.delete(5);
    window.drain();
    expect(started).toEqual([1, 2, 3, 5, 6, 7]);
    expect(reading).toEqual([false, true]);
    expect(inFlight.size).toBe(1);
  });

  test("reaching the limit with nothing waiting stops reading; an ack starts it again", () => {
    const { window, inFlight, reading } = setup(1);
    window.receive(1);
    expect(reading).toEqual([false]);
    inFlight.delete(1);
    window.drain();
    expect(reading).toEqual([false, true]);
    window.drain(); // no change, no call
    expect(reading).toEqual([false, true]);
  });

  test("clear() forgets what waits", () => {
    const { window, started, inFlight } = setup(1);
    for (const m of [1, 3, 5]) window.receive(m);
    window.clear();
    inFlight.clear();
    window.drain();
    expect(started).toEqual([1]);
  });
});
