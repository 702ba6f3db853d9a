import { afterEach, describe, expect, test } from "bun:test";
import { GroupCoordinator, type JoinRequest } from "./coordinator.ts";

const coordinators: GroupCoordinator[] = [];
afterEach(() => coordinators.splice(0).forEach((c) => c.close()));

function make() {
  const c = new GroupCoordinator({
    initialRebalanceDelayMs: 30,
    minSessionTimeoutMs: 10,
    sweepIntervalMs: 20,
  });
  coordinators.push(c);
  return c;
}

const meta = (s: string) => Buffer.from(s);
const join = (c: GroupCoordinator, memberId: string, o: Partial<JoinRequest> = {}) =>
  c.join({
    groupId: "g",
    memberId,
    groupInstanceId: null,
    clientId: "client",
    clientHost: "/127.0.0.1",
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 2000,
    protocolType: "consumer",
    protocols: [{ name: "rr", metadata: meta(`m-${memberId || "new"}`) }],
    requireKnownMemberId: false,
    ...o,
  });

async function twoMembers(c: GroupCoordinator) {
  const [a, b] = await Promise.all([join(c, ""), join(c, "")]);
  return { a: a!, b: b! };
}

describe("GroupCoordinator", () => {
  test("two members joining an empty group are batched into generation 1", async () => {
    const c = make();
    const { a, b } = await twoMembers(c);
    expect(a.errorCode).toBe(0);
    expect(b.generationId).toBe(1);
    expect(a.leader).toBe(b.leader);
    const leader = a.memberId === a.leader ? a : b;
    const follower = leader === a ? b : a;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    expect(follower.members).toEqual([]);
    expect(leader.protocolName).toBe("rr");
  });

  test("the follower's sync waits for the leader's assignments", async () => {
    const c = make();
    const { a, b } = await twoMembers(c);
    const leader = a.memberId === a.leader ? a : b;
    const follower = leader === a ? b : a;
    let followerDone = false;
    const f = c
      .sync({ groupId: "g", generationId: 1, memberId: follower.memberId, assignments: [] })
      .then((r) => ((followerDone = true), r));
    await Bun.sleep(20);
    expect(followerDone).toBe(false);
    const l = await c.sync({
      groupId: "g",
      generationId: 1,
      memberId: leader.memberId,
      assignments: [
        { memberId: leader.memberId, assignment: meta("p0") },
        { memberId: follower.memberId, assignment: meta("p1") },
      ],
    });
    expect(Buffer.from(l.assignment).toString()).toBe("p0");
    expect(Buffer.from((await f).assignment).toString()).toBe("p1");
    expect(c.describe("g").state).toBe("Stable");
  });

  test("a new member makes the others' heartbeats answer 27, and they rejoin into generation 2", async () => {
    const c = make();
    const { a } = await twoMembers(c);
    await c.sync({ groupId: "g", generationId: 1, memberId: a.leader, assignments: [] });
    const third = join(c, "");
    expect(c.heartbeat({ groupId: "g", generationId: 1, memberId: a.memberId }).errorCode).toBe(27);
    const members = c.describe("g").members.map((m) => m.memberId);
    const rejoins = members
      .filter((id) => c.describe("g").members.some((m) => m.memberId === id))
      .slice(0, 2);
    const results = await Promise.all([third, ...rejoins.map((id) => join(c, id))]);
    expect(results.every((r) => r.errorCode === 0 && r.generationId === 2)).toBe(true);
    expect(results.find((r) => r.memberId === r.leader)!.members).toHaveLength(3);
  });

  test("leave triggers a rebalance; the last leave empties the group but keeps offsets", async () => {
    const c = make();
    const { a, b } = await twoMembers(c);
    const offsets = [{ topic: "t", partition: 0, offset: 5, metadata: null }];
    const commit = { groupId: "g", generationId: 1, memberId: a.memberId, offsets };
    expect(await c.commitOffsets(commit)).toBe(27); // assignments not synced yet
    await c.sync({ groupId: "g", generationId: 1, memberId: a.leader, assignments: [] });
    expect(await c.commitOffsets(commit)).toBe(0);
    expect(c.leave("g", [{ memberId: b.memberId }]).errorCode).toBe(0);
    expect(c.heartbeat({ groupId: "g", generationId: 1, memberId: a.memberId }).errorCode).toBe(27);
    const again = await join(c, a.memberId);
    expect(again.generationId).toBe(2);
    expect(c.leave("g", [{ memberId: a.memberId }]).errorCode).toBe(0);
    expect(c.describe("g").state).toBe("Empty");
    expect(c.fetchOffset("g", "t", 0)?.offset).toBe(5);
    expect(c.leave("g", [{ memberId: "ghost" }]).errorCode).toBe(25);
  });

  test("a member that stops heartbeating is expired and the group rebalances", async () => {
    const c = make();
    const { a, b } = await Promise.all([
      join(c, "", { sessionTimeoutMs: 100 }),
      join(c, "", { sessionTimeoutMs: 100 }),
    ]).then(([a, b]) => ({ a: a!, b: b! }));
    await c.sync({ groupId: "g", generationId: 1, memberId: a.leader, assignments: [] });
    for (let i = 0; i < 6; i++) {
      await Bun.sleep(40);
      c.heartbeat({ groupId: "g", generationId: 1, memberId: a.memberId });
    }
    expect(c.describe("g").members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(c.heartbeat({ groupId: "g", generationId: 1, memberId: b.memberId }).errorCode).toBe(25);
    expect(c.heartbeat({ groupId: "g", generationId: 1, memberId: a.memberId }).errorCode).toBe(27);
  });

  test("MEMBER_ID_REQUIRED two-step (v4+)", async () => {
    const c = make();
    const first = await join(c, "", { requireKnownMemberId: true, clientId: "kafkajs" });
    expect(first.errorCode).toBe(79);
    expect(first.memberId).toStartWith("kafkajs-");
    const second = await join(c, first.memberId, { requireKnownMemberId: true });
    expect(second).toMatchObject({ errorCode: 0, generationId: 1, leader: first.memberId });
  });

  test("errors: no common protocol 23, stale generation 22, unknown member 25, bad session 26", async () => {
    const c = make();
    const { a } = await twoMembers(c);
    const other = await join(c, "", { protocols: [{ name: "range", metadata: meta("x") }] });
    expect(other.errorCode).toBe(23);
    expect(c.heartbeat({ groupId: "g", generationId: 7, memberId: a.memberId }).errorCode).toBe(22);
    expect(
      (await c.sync({ groupId: "g", generationId: 1, memberId: "nobody", assignments: [] }))
        .errorCode,
    ).toBe(25);
    expect((await join(c, "nobody")).errorCode).toBe(25);
    expect((await join(c, "", { sessionTimeoutMs: 1 })).errorCode).toBe(26);
    expect((await join(c, "", { groupId: "" })).errorCode).toBe(24);
    const commit = await c.commitOffsets({
      groupId: "g",
      generationId: 9,
      memberId: a.memberId,
      offsets: [],
    });
    expect(commit).toBe(22);
  });

  test("standalone commits (generation -1) work on a group without members", async () => {
    const c = make();
    expect(
      await c.commitOffsets({
        groupId: "solo",
        generationId: -1,
        memberId: "",
        offsets: [{ topic: "t", partition: 1, offset: 9, metadata: "m" }],
      }),
    ).toBe(0);
    expect(c.fetchOffset("solo", "t", 1)).toEqual({
      topic: "t",
      partition: 1,
      offset: 9,
      metadata: "m",
    });
    expect(c.fetchOffset("solo", "t", 0)).toBeUndefined();
    expect(c.listGroups().map((g) => g.groupId)).toContain("solo");
  });

  test("close() answers parked joins so no promise dangles", async () => {
    const c = new GroupCoordinator({ initialRebalanceDelayMs: 10_000 });
    const parked = join(c, "");
    c.close();
    expect((await parked).errorCode).toBe(15);
  });

  test("a deleted topic: its offsets go, its groups rebalance, a position in it is not committed", async () => {
    const c = make();
    const { a } = await twoMembers(c);
    await c.sync({ groupId: "g", generationId: 1, memberId: a.leader, assignments: [] });
    const commit = (topic: string, offset: number) =>
      c.commitOffsets({
        groupId: "g",
        generationId: 1,
        memberId: a.memberId,
        offsets: [{ topic, partition: 0, offset, metadata: null }],
      });
    expect(await commit("iot.telemetry", 500)).toBe(0);
    expect(await commit("other", 7)).toBe(0);
    await c.deleteTopic("iot.telemetry");
    expect(c.fetchOffset("g", "iot.telemetry", 0)).toBeUndefined();
    expect(c.fetchOffset("g", "other", 0)?.offset).toBe(7);
    expect(c.describe("g").state).toBe("PreparingRebalance");
    expect(c.heartbeat({ groupId: "g", generationId: 1, memberId: a.memberId }).errorCode).toBe(27);
    // the topic is created again (a producer's auto-create); the member's old position is stale
    expect(await commit("iot.telemetry", 500)).toBe(27);
    expect(c.fetchOffset("g", "iot.telemetry", 0)).toBeUndefined();
  });
});
