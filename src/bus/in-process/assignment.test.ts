import { describe, expect, test } from "bun:test";
import { AssignerProtocol } from "kafkajs";
import {
  assignRoundRobin,
  decodeAssignment,
  decodeMemberMetadata,
  encodeAssignment,
  encodeMemberMetadata,
} from "./assignment.ts";

describe("the consumer protocol, byte for byte as kafkajs's", () => {
  test("member metadata", () => {
    const topics = ["iot.telemetry", "temp_test"];
    expect(encodeMemberMetadata(topics)).toEqual(
      AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    );
    expect(
      decodeMemberMetadata(
        AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
      ),
    ).toEqual(topics);
  });

  test("assignments both ways; an empty one is no partitions", () => {
    const assigned = [
      { topic: "a", partition: 0 },
      { topic: "a", partition: 2 },
      { topic: "b", partition: 1 },
    ];
    const ours = encodeAssignment(assigned);
    expect(AssignerProtocol.MemberAssignment.decode(ours)!.assignment).toEqual({
      a: [0, 2],
      b: [1],
    });
    const theirs = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { a: [0, 2], b: [1] },
      userData: Buffer.alloc(0),
    });
    expect(decodeAssignment(theirs)).toEqual(assigned);
    expect(decodeAssignment(new Uint8Array(0))).toEqual([]);
  });

  test("round robin: every partition to exactly one member subscribed to its topic", () => {
    const members = [
      { memberId: "m2", metadata: encodeMemberMetadata(["a", "b"]) },
      { memberId: "m1", metadata: encodeMemberMetadata(["a"]) },
      { memberId: "m3", metadata: encodeMemberMetadata(["a", "b"]) },
    ];
    const out = assignRoundRobin(members, (t) => (t === "a" ? 4 : 3));
    const by = Object.fromEntries(out.map((o) => [o.memberId, decodeAssignment(o.assignment)]));
    const all = Object.values(by)
      .flat()
      .map((a) => `${a.topic}/${a.partition}`)
      .sort();
    expect(all).toEqual(["a/0", "a/1", "a/2", "a/3", "b/0", "b/1", "b/2"]);
    expect(by.m1!.every((a) => a.topic === "a")).toBe(true);
    for (const list of Object.values(by)) expect(list.length).toBeGreaterThanOrEqual(2);
  });
});
