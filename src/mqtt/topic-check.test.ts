import { describe, expect, test } from "bun:test";
import { rememberingTopicNameCheck, topicFilterProblem, topicNameProblem } from "./topic-check.ts";

describe("topic checks", () => {
  test("ordinary names and filters pass", () => {
    for (const t of ["iot/pi-1/telemetry", "coffee", "hello/world", "iot/3DF92-192/command", "é/ü"])
      expect(topicNameProblem(t)).toBeUndefined();
    expect(topicFilterProblem("iot/+/command")).toBeUndefined();
    expect(topicFilterProblem("iot/#")).toBeUndefined();
  });

  test("NUL, ill-formed UTF-8, control characters and wildcards in names are refused", () => {
    expect(topicNameProblem("iot/a\0/command")).toContain("U+0000");
    expect(topicNameProblem(Buffer.from([0x69, 0xff, 0x6f]).toString("utf8"))).toContain("UTF-8");
    expect(topicNameProblem("iot/\ud800/x")).toContain("UTF-8");
    expect(topicNameProblem("iot/a\rb/status")).toContain("control");
    expect(topicNameProblem("iot/+/command")).toContain("wildcard");
    expect(topicNameProblem("iot/#")).toContain("wildcard");
    expect(topicNameProblem("")).toContain("empty");
    expect(topicFilterProblem("iot/\0/#")).toContain("U+0000");
  });

  test("the remembering check answers as the plain one, bad names every time, within its bound", () => {
    const check = rememberingTopicNameCheck(2);
    for (let round = 0; round < 3; round++)
      for (const t of ["a/1", "a/2", "iot/+/x", "a/3", "a\0b", "a/1", `${"l".repeat(300)}/+`])
        expect(check(t)).toBe(topicNameProblem(t));
    expect(check("iot/+/x")).toContain("wildcard");
  });
});
