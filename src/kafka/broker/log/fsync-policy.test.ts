import { expect, test } from "bun:test";
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
