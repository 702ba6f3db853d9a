import { describe, expect, test } from "bun:test";
import { deviceIdProblem, isDeviceId } from "./device-id.ts";

describe("device id grammar", () => {
  test("the seeds' and simulate's ids pass", () => {
    for (const id of [
      "3DF92-192",
      "0",
      "pi-1",
      "sim-cam-1",
      "A1B2C-007",
      "cam_2.front",
      "x".repeat(128),
      "b8:27:eb:12:34:56",
    ])
      expect({ id, ok: isDeviceId(id) }).toEqual({ id, ok: true });
  });

  test("ids that break MQTT topics, paths, SSE or HTML are refused with a reason", () => {
    for (const id of [
      "",
      ".",
      "..",
      "+",
      "#",
      "a/b",
      "a\0",
      "a\rb",
      "a\nb",
      "-x",
      ".hidden",
      "a b",
      "é",
      "x".repeat(129),
    ])
      expect({ id, ok: isDeviceId(id) }).toEqual({ id, ok: false });
    expect(deviceIdProblem("..")).toContain("is not a device id");
    expect(deviceIdProblem(7)).toContain("expected a string");
  });
});
