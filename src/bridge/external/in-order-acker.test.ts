import { describe, expect, test } from "bun:test";
import { InOrderAcker } from "./in-order-acker.ts";

/** a promise with its settlers, to finish messages in any order */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** lets the acker's `then` callbacks run */
const settled = () => new Promise<void>((r) => setImmediate(r));

function setup() {
  const acked: number[][] = [];
  const failures: { err: unknown; id: number }[] = [];
  const acker = new InOrderAcker({
    ack: (ids) => acked.push(ids),
    onFail: (err, id) => failures.push({ err, id }),
  });
  return { acker, acked, failures };
}

describe("InOrderAcker", () => {
  test("messages handled out of order are acked in arrival order", async () => {
    const { acker, acked, failures } = setup();
    const d = [10, 11, 12, 13].map((id) => ({ id, ...deferred() }));
    for (const x of d) acker.track(x.id, x.promise);
    expect(acker.inFlight).toBe(4);
    d[2]!.resolve();
    d[1]!.resolve();
    await settled();
    expect(acked).toEqual([]); // 10 is still being handled
    d[0]!.resolve();
    await settled();
    expect(acked).toEqual([[10, 11, 12]]);
    d[3]!.resolve();
    await settled();
    expect(acked).toEqual([[10, 11, 12], [13]]);
    expect(acker.inFlight).toBe(0);
    expect(failures).toEqual([]);
  });

  test("a failure acks what came before, then nothing more, and is reported once", async () => {
    const { acker, acked, failures } = setup();
    const d = [1, 2, 3, 4].map((id) => ({ id, ...deferred() }));
    for (const x of d) acker.track(x.id, x.promise);
    const boom = new Error("kafka and spool both failed");
    d[1]!.reject(boom);
    d[2]!.resolve();
    d[3]!.reject(new Error("later"));
    await settled();
    expect(failures).toEqual([]); // 1 comes first and is still pending
    d[0]!.resolve();
    await settled();
    expect(acked).toEqual([[1]]);
    expect(failures).toEqual([{ err: boom, id: 2 }]);
    expect(acker.isStopped).toBe(true);
    acker.track(5, Promise.resolve());
    await settled();
    expect(acked).toEqual([[1]]);
    expect(failures.length).toBe(1);
  });

  test("idle() waits for every ack, and stop() releases it without acking", async () => {
    const { acker, acked } = setup();
    await acker.idle(); // nothing tracked
    const a = deferred();
    acker.track(7, a.promise);
    let idle = false;
    const waiting = acker.idle().then(() => (idle = true));
    await settled();
    expect(idle).toBe(false);
    a.resolve();
    await waiting;
    expect(acked).toEqual([[7]]);

    const b = deferred();
    acker.track(8, b.promise);
    const stopped = acker.idle();
    acker.stop();
    await stopped;
    b.resolve();
    await settled();
    expect(acked).toEqual([[7]]);
  });

  test("thousands in flight: every id acked once, in order", async () => {
    const { acker, acked } = setup();
    const d = Array.from({ length: 5000 }, (_, i) => ({ id: (i % 65535) + 1, ...deferred() }));
    for (const x of d) acker.track(x.id, x.promise);
    for (let i = d.length - 1; i >= 0; i--) d[i]!.resolve(); // last first
    await acker.idle();
    expect(acked.flat()).toEqual(d.map((x) => x.id));
  });
});
