import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GroupCommit } from "./fsync-policy.ts";

/** an fdatasync seam whose calls return only when the test says so */
function heldSyncs() {
  const calls: Array<(err: unknown) => void> = [];
  return { calls, seam: (_fd: number, done: (err: unknown) => void) => void calls.push(done) };
}
const turn = () => new Promise((r) => setImmediate(r));
const state = (p: Promise<void>) => {
  const s = { value: "pending" as "pending" | "resolved" | "rejected" };
  p.then(
    () => (s.value = "resolved"),
    () => (s.value = "rejected"),
  );
  return s;
};

test("who comes while a sync runs gets a second sync at once, shared with that turn; no third", async () => {
  const held = heldSyncs();
  let n = 0;
  const commit = new GroupCommit(() => 7, { begin: () => ++n, fdatasync: held.seam });
  const first = state(commit.sync());
  expect(held.calls).toHaveLength(1);
  const second = [state(commit.sync()), state(commit.sync()), state(commit.sync())];
  await turn();
  expect(held.calls).toHaveLength(2); // not waiting for the first to return
  const third = state(commit.sync());
  await turn();
  expect(held.calls).toHaveLength(2); // two at most
  held.calls[0]!(null);
  await turn();
  expect(first.value).toBe("resolved");
  expect(second.map((s) => s.value)).toEqual(["pending", "pending", "pending"]);
  expect(held.calls).toHaveLength(3); // the third round begins as the first returns
  held.calls[1]!(null);
  held.calls[2]!(null);
  await turn();
  expect([...second, third].map((s) => s.value)).toEqual(Array(4).fill("resolved"));
  expect(commit.syncs).toBe(3);
});

test("a later sync returning first waits for the earlier one: marks are told in order", async () => {
  const held = heldSyncs();
  const synced: number[] = [];
  let n = 0;
  const commit = new GroupCommit(() => 7, {
    begin: () => ++n,
    synced: (m) => synced.push(m),
    fdatasync: held.seam,
  });
  const a = state(commit.sync());
  const b = state(commit.sync());
  await turn();
  held.calls[1]!(null);
  await turn();
  expect([a.value, b.value, synced]).toEqual(["pending", "pending", []]);
  held.calls[0]!(null);
  await turn();
  expect([a.value, b.value, synced]).toEqual(["resolved", "resolved", [1, 2]]);
});

test("an earlier sync failing fails the later round even if its own sync succeeded", async () => {
  const held = heldSyncs();
  const synced: number[] = [];
  const failures: unknown[] = [];
  let n = 0;
  const commit = new GroupCommit(() => 7, {
    begin: () => ++n,
    synced: (m) => synced.push(m),
    failed: (e) => failures.push(e),
    fdatasync: held.seam,
  });
  const a = state(commit.sync());
  const b = state(commit.sync());
  await turn();
  const queued = state(commit.sync());
  held.calls[1]!(null);
  let idle = false;
  commit.whenIdle(() => (idle = true));
  held.calls[0]!(new Error("EIO"));
  await turn();
  expect([a.value, b.value, queued.value]).toEqual(["rejected", "rejected", "rejected"]);
  expect([synced, failures.length]).toEqual([[], 1]);
  expect(held.calls).toHaveLength(3); // the queued round began when the second sync returned
  expect(idle).toBe(false); // and its sync is still running
  held.calls[2]!(null);
  await turn();
  expect(idle).toBe(true);
  // the next waiter gets a fresh round that can succeed
  const later = state(commit.sync());
  held.calls[held.calls.length - 1]!(null);
  await turn();
  expect(later.value).toBe("resolved");
});

test("a descriptor released only once every sync in flight returned, a given-up one too", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(() => 7, { fdatasync: held.seam });
  const a = commit.sync().catch(() => {});
  const b = commit.sync().catch(() => {});
  await turn();
  held.calls[0]!(new Error("EIO")); // round b is given up, its sync still running
  let idle = false;
  commit.whenIdle(() => (idle = true));
  await turn();
  expect(idle).toBe(false);
  held.calls[1]!(null);
  await Promise.all([a, b]);
  expect(idle).toBe(true);
});

/** an fdatasync seam that returns on the next turn, as a fast disk would */
const quickSync = (_fd: number, done: (err: unknown) => void) =>
  void setImmediate(() => done(null));

/** one that takes 2 ms: a trickle's waiters then overlap, as on a disk under load */
const slowSync = (_fd: number, done: (err: unknown) => void) =>
  void setTimeout(() => done(null), 2);

/**
 * `together` waiters every `everyMs`, `n` in all (each asking `gather`, see GroupCommit.sync);
 * resolves when all were acked, with the time taken
 */
async function trickle(
  commit: GroupCommit,
  n: number,
  everyMs: number,
  { gather, together = 1 }: { gather?: number; together?: number } = {},
) {
  const t0 = performance.now();
  const acks: Promise<void>[] = [];
  for (let i = 0; i < n; i += together) {
    for (let j = 0; j < together; j++) acks.push(commit.sync(100, { gather }));
    await Bun.sleep(everyMs);
  }
  await Promise.all(acks);
  return performance.now() - t0;
}

test("without a gather a trickle costs one sync per waiter (today's behaviour)", async () => {
  const commit = new GroupCommit(() => 7, { fdatasync: quickSync });
  await trickle(commit, 40, 1);
  expect(commit.syncs).toBe(40);
});

test("with a gather a trickle shares syncs: rounds begin at least gatherMs apart", async () => {
  const starts: number[] = [];
  const commit = new GroupCommit(
    () => 7,
    { begin: () => starts.push(performance.now()), fdatasync: slowSync },
    { gatherMs: 10 },
  );
  // in pairs: a gather never ends with its waiter alone (which stops the gathering, by design)
  // however late a loaded machine wakes the trickle
  const elapsed = await trickle(commit, 80, 1, { together: 2 });
  expect(commit.syncs).toBeLessThanOrEqual(Math.floor(elapsed / 9) + 1);
  // timers may fire up to a ms early on some runtimes: allow that, no more
  for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(9);
});

test("with a gather a producer that waits for each ack is not held up: nobody would join", async () => {
  const commit = new GroupCommit(() => 7, { fdatasync: quickSync }, { gatherMs: 60_000 });
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await commit.sync(100);
  expect(commit.syncs).toBe(20);
  expect(performance.now() - t0).toBeLessThan(30_000); // not one gather of a minute
});

test("with a gather a lone waiter's wasted gather stops it until waiters overlap again", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(() => 7, { fdatasync: held.seam }, { gatherMs: 20 });
  const release = async () => {
    while (held.calls.length > 0) held.calls.shift()!(null);
    await turn();
  };
  void commit.sync(); // at once
  void commit.sync(); // overlaps: gathers
  await release();
  expect(held.calls).toHaveLength(0);
  await Bun.sleep(30); // the gather ends with that waiter alone
  expect(held.calls).toHaveLength(1);
  await release();
  void commit.sync();
  expect(held.calls).toHaveLength(1); // no gather now: at once
  void commit.sync(); // overlapping again: gathers again
  await turn();
  expect(held.calls).toHaveLength(1);
  await release();
});

test("with a gather, after a quiet spell the first waiter still gets its sync at once", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(() => 7, { fdatasync: held.seam }, { gatherMs: 10_000 });
  const a = state(commit.sync());
  expect(held.calls).toHaveLength(1); // begun in the call, as without a gather
  held.calls[0]!(null);
  await turn();
  expect(a.value).toBe("resolved");
});

test("with a gather no ack precedes the sync covering it, whatever the timing", async () => {
  const held = heldSyncs();
  let written = 0;
  let syncedUpTo = 0;
  const violations: string[] = [];
  const commit = new GroupCommit(
    () => 7,
    { begin: () => written, synced: (mark) => (syncedUpTo = mark), fdatasync: held.seam },
    { gatherMs: 3 },
  );
  const acks: Promise<void>[] = [];
  let returned = 0;
  for (let i = 0; i < 60; i++) {
    const mine = ++written; // "appended", then waits for durability
    acks.push(
      commit.sync(50).then(() => {
        if (syncedUpTo < mine) violations.push(`write ${mine} acked at ${syncedUpTo}`);
      }),
    );
    // the disk returns the syncs begun so far at irregular moments
    if (i % 3 === 0) while (returned < held.calls.length) held.calls[returned++]!(null);
    await Bun.sleep(i % 5);
  }
  const all = Promise.all(acks).then(() => true);
  for (let i = 0; i < 2000; i++) {
    while (returned < held.calls.length) held.calls[returned++]!(null);
    if (await Promise.race([all, Bun.sleep(5)])) break;
  }
  expect(violations).toEqual([]);
  expect(syncedUpTo).toBe(60);
});

test("with a gather a round begins at once when enough bytes wait", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(
    () => 7,
    { fdatasync: held.seam },
    { gatherMs: 10_000, gatherBytes: 1000 },
  );
  void commit.sync(10); // at once
  void commit.sync(600); // overlaps it
  await turn();
  expect(held.calls).toHaveLength(1); // gathering: 600 bytes are not enough
  void commit.sync(600);
  await turn();
  expect(held.calls).toHaveLength(2); // 1200 are: the second round, at the end of the turn
  held.calls[0]!(null);
  held.calls[1]!(null);
  await turn();
  void commit.sync(10);
  expect(held.calls).toHaveLength(2); // gathering again (the previous round began just now)
  void commit.sync(2000); // enough: nothing in flight, so at once
  expect(held.calls).toHaveLength(3);
});

test("with a gather a failed sync fails the gathered waiters at once, and no sync is made for them", async () => {
  const held = heldSyncs();
  const failures: unknown[] = [];
  const commit = new GroupCommit(
    () => 7,
    { failed: (e) => failures.push(e), fdatasync: held.seam },
    { gatherMs: 10_000 },
  );
  const a = state(commit.sync());
  const gathered = [state(commit.sync()), state(commit.sync())];
  await turn();
  expect(held.calls).toHaveLength(1); // the others wait for the gather
  held.calls[0]!(new Error("EIO"));
  await turn();
  expect([a.value, ...gathered.map((g) => g.value)]).toEqual(["rejected", "rejected", "rejected"]);
  expect(failures).toHaveLength(1);
  await Bun.sleep(20);
  expect(held.calls).toHaveLength(1); // nobody left waiting: no sync was begun for them
  let idle = false;
  commit.whenIdle(() => (idle = true));
  expect(idle).toBe(true);
});

test("with a gather, whenIdle (a close) begins the gathered round at once and waits for it", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(() => 7, { fdatasync: held.seam }, { gatherMs: 10_000 });
  const a = state(commit.sync());
  const b = state(commit.sync()); // overlaps a
  held.calls[0]!(null);
  await turn();
  expect(held.calls).toHaveLength(1); // b is gathering
  let idle = false;
  commit.whenIdle(() => (idle = true));
  expect(held.calls).toHaveLength(2); // begun without waiting 10 s
  expect(idle).toBe(false);
  held.calls[1]!(null);
  await turn();
  expect([a.value, b.value, idle]).toEqual(["resolved", "resolved", true]);
});

test("with a gather a waiter in haste begins the round at once, the gathered ones with it", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(() => 7, { fdatasync: held.seam }, { gatherMs: 10_000 });
  const a = state(commit.sync()); // at once
  const gathered = state(commit.sync()); // overlaps: gathers
  held.calls[0]!(null);
  await turn();
  expect(held.calls).toHaveLength(1);
  const hasty = state(commit.sync(0, { gather: false }));
  expect(held.calls).toHaveLength(2); // nothing in flight: at once, as without a gather
  held.calls[1]!(null);
  await turn();
  expect([a.value, gathered.value, hasty.value]).toEqual(["resolved", "resolved", "resolved"]);
});

test("a waiter's own gather: without one set for the log, a trickle asking 10 ms shares syncs", async () => {
  const starts: number[] = [];
  const commit = new GroupCommit(() => 7, {
    begin: () => starts.push(performance.now()),
    fdatasync: slowSync,
  });
  const elapsed = await trickle(commit, 80, 1, { gather: 10, together: 2 }); // pairs: as above
  expect(commit.syncs).toBeLessThanOrEqual(Math.floor(elapsed / 9) + 1);
  for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(9);
});

test("a round waits the shortest gather its waiters asked: a shorter one brings it forward", async () => {
  const held = heldSyncs();
  const commit = new GroupCommit(() => 7, { fdatasync: held.seam }, { gatherMs: 10_000 });
  const a = state(commit.sync()); // at once
  const long = state(commit.sync(0, { gather: 60_000 })); // overlaps: gathers a minute
  held.calls[0]!(null);
  await turn();
  expect(held.calls).toHaveLength(1);
  const short = state(commit.sync(0, { gather: 20 }));
  await Bun.sleep(5);
  expect(held.calls).toHaveLength(1); // still gathering…
  await Bun.sleep(40);
  expect(held.calls).toHaveLength(2); // …for 20 ms, not a minute nor the log's 10 s
  held.calls[1]!(null);
  await turn();
  expect([a.value, long.value, short.value]).toEqual(["resolved", "resolved", "resolved"]);
});

describe("quiet rounds sync inline", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const realFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "iot-inline-sync-"));
    dirs.push(dir);
    const fd = openSync(join(dir, "f"), "w");
    writeSync(fd, "x");
    return fd;
  };
  /** a seam that records how each round synced: inline returns at once, via the pool next turn */
  function recordingSyncs(inlineWork: () => void = () => {}) {
    const inline: boolean[] = [];
    const seam = (_fd: number, done: (err: unknown) => void, onThread?: boolean) => {
      inline.push(onThread === true);
      if (!onThread) return void setImmediate(() => done(null));
      inlineWork();
      done(null);
    };
    return { inline, seam };
  }
  /**
   * two waiters in one turn: the first's round begins at once, the second's when the gather
   * ends (a gather long enough that the first sync returned by then, on a loaded machine too)
   */
  async function quietRound(commit: GroupCommit) {
    const first = commit.sync();
    const gathered = commit.sync();
    await first;
    await gathered;
  }

  test("a round begun by its gather's end, nothing in flight, syncs on this thread (real file)", async () => {
    const fd = realFile();
    // a real sync via the pool: a gather long enough for it to return first, under load too
    const commit = new GroupCommit(() => fd, {}, { gatherMs: 100, inlineSyncMaxMs: 10_000 });
    await quietRound(commit);
    expect([commit.syncs, commit.inlineSyncs]).toEqual([2, 1]); // the first: at once, via the pool
    closeSync(fd);
  });

  test("a round begun by its gather's end resolves its waiters, as one via the pool", async () => {
    const rec = recordingSyncs();
    const marks: number[] = [];
    let n = 0;
    const commit = new GroupCommit(
      () => 7,
      { begin: () => ++n, synced: (m) => marks.push(m), fdatasync: rec.seam },
      { gatherMs: 30, inlineSyncMaxMs: 10_000 },
    );
    await quietRound(commit);
    expect(rec.inline).toEqual([false, true]);
    expect(marks).toEqual([1, 2]);
    let idle = false;
    commit.whenIdle(() => (idle = true));
    expect(idle).toBe(true);
  });

  test("busy rounds keep the pool: a sync in flight when the gather ends, or bytes piled up", async () => {
    const held = heldSyncs();
    const inline: boolean[] = [];
    const commit = new GroupCommit(
      () => 7,
      { fdatasync: (fd, done, onThread) => (inline.push(onThread === true), held.seam(fd, done)) },
      { gatherMs: 5, gatherBytes: 1000, inlineSyncMaxMs: 10_000 },
    );
    const first = commit.sync(); // at once, held in flight
    const gathered = commit.sync();
    await Bun.sleep(20); // the gather ends while the first sync runs
    expect(held.calls).toHaveLength(2);
    held.calls[0]!(null);
    held.calls[1]!(null);
    await Promise.all([first, gathered]);
    const a = commit.sync(10); // at once
    const piled = commit.sync(2000); // enough bytes: at the end of the turn, not the gather's
    await turn();
    held.calls[2]!(null);
    held.calls[3]!(null);
    await Promise.all([a, piled]);
    expect(inline).toEqual([false, false, false, false]);
    expect(commit.inlineSyncs).toBe(0);
  });

  test("bytes piling up under a waiter's longer gather: slowly, a quiet round; fast, the pool", async () => {
    const rec = recordingSyncs();
    const commit = new GroupCommit(
      () => 7,
      { fdatasync: rec.seam },
      { gatherMs: 20, gatherBytes: 1000, inlineSyncMaxMs: 10_000 },
    );
    // the bridge's way: a longer gather than the log's own, cut short by the bytes
    const first = commit.sync(10, { gather: 200 }); // at once, via the pool
    const gathered = commit.sync(10, { gather: 200 }); // overlaps: gathers
    await first;
    await Bun.sleep(50);
    // 1,010 bytes in 50 ms or more: slower than the busy rate of 1,000 per 20 ms
    const slowly = commit.sync(1000, { gather: 200 });
    expect(rec.inline).toEqual([false, true]); // begun at once, inline
    await Promise.all([gathered, slowly]);
    const fast = commit.sync(1000, { gather: 200 }); // 1,000 bytes right after a round began
    expect(rec.inline).toEqual([false, true, false]);
    await fast;
  });

  test("slow syncs turn inline off; fast ones turn it back on", async () => {
    let slow = true;
    const rec = recordingSyncs(() => slow && Bun.sleepSync(100)); // well over the bound
    const commit = new GroupCommit(
      () => 7,
      { fdatasync: rec.seam },
      { gatherMs: 20, inlineSyncMaxMs: 10 },
    );
    await quietRound(commit); // the first pool sync was quick: the next quiet one is inline
    expect(rec.inline).toEqual([false, true]);
    await quietRound(commit); // that one was slow: estimated over 10 ms, quiet rounds use the pool
    expect(rec.inline.slice(2)).toEqual([false, false]);
    slow = false;
    for (let i = 0; i < 50 && !rec.inline.at(-1); i++) await quietRound(commit);
    expect(rec.inline.at(-1)).toBe(true); // quick pool syncs brought the estimate down again
  });

  test("inlineSyncMaxMs 0: quiet rounds use the pool too", async () => {
    const rec = recordingSyncs();
    const commit = new GroupCommit(
      () => 7,
      { fdatasync: rec.seam },
      { gatherMs: 30, inlineSyncMaxMs: 0 },
    );
    await quietRound(commit);
    await quietRound(commit);
    expect(rec.inline).toEqual([false, false, false, false]);
  });

  test("an inline sync that fails fails its round, the queued waiters, as a pool sync would", async () => {
    const file = realFile();
    const devNull = openSync("/dev/null", "r"); // fdatasync on a character device: EINVAL
    let fd = file;
    const failures: unknown[] = [];
    const commit = new GroupCommit(
      () => fd,
      { failed: (e) => failures.push(e) },
      { gatherMs: 100, inlineSyncMaxMs: 10_000 }, // as above: the pool's real sync returns first
    );
    const first = commit.sync(); // at once, via the pool: succeeds
    const gathered = [commit.sync().catch((e) => e), commit.sync().catch((e) => e)];
    await first;
    fd = devNull; // the gathered round's inline sync fails
    const errors = await Promise.all(gathered);
    expect(commit.inlineSyncs).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(["EINVAL", "EINVAL"]);
    expect(failures).toHaveLength(1);
    let idle = false;
    commit.whenIdle(() => (idle = true));
    expect(idle).toBe(true);
    // the same failure via the pool: the same error, one failure told
    const viaPool = await commit.sync().catch((e) => e);
    expect(viaPool.code).toBe("EINVAL");
    expect(failures).toHaveLength(2);
    fd = file;
    await commit.sync(); // a later round can succeed
    closeSync(devNull);
    closeSync(file);
  });
});
