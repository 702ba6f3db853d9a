import { expect, test } from "bun:test";
import { subjectProblem } from "./subjects.ts";

test("reserved and unusable subjects get no token, with the reason", () => {
  expect(subjectProblem("device", "pi-1")).toBeNull();
  expect(subjectProblem("kafka", "b8:27:eb:00:00:01")).toBeNull();
  expect(subjectProblem("http", "Jane Doe")).toBeNull();
  for (const kind of ["device", "kafka", "http"] as const) {
    expect(subjectProblem(kind, "iot-internal")).toMatch(/reserved/);
    expect(subjectProblem(kind, "IOT-bridge")).toMatch(/reserved/);
    expect(subjectProblem(kind, "")).toMatch(/empty/);
  }
  for (const s of ["#", "+", "a/b", "pi 1", "pi\u0000"])
    expect(subjectProblem("device", s)).toMatch(/topic level/);
  expect(subjectProblem("kafka", "$SYS")).toMatch(/\$/);
  expect(subjectProblem("device", "x".repeat(129))).toMatch(/longer/);
});
