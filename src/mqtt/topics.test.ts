import { describe, expect, test } from "bun:test";
import { capture, matches } from "./topics.ts";

describe("MQTT topic filters", () => {
  test("exact, + and #", () => {
    expect(matches("coffee", "coffee")).toBe(true);
    expect(matches("coffee", "coffee/x")).toBe(false);
    expect(capture("iot/+/telemetry", "iot/pi-1/telemetry")).toEqual(["pi-1"]);
    expect(matches("iot/+/telemetry", "iot/pi-1/image")).toBe(false);
    expect(matches("iot/+/telemetry", "iot/telemetry")).toBe(false);
    expect(matches("iot/#", "iot/a/b/c")).toBe(true);
    expect(matches("iot/#", "iot")).toBe(true);
    expect(matches("#", "$SYS/x")).toBe(true);
    expect(matches("+/x", "$SYS/x")).toBe(false);
  });
});
