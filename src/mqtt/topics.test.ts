import { describe, expect, test } from "bun:test";
import { capture, matches } from "./topics.ts";

describe("MQTT topic filters", () => {
  test("exact names match only themselves", () => {
    expect(matches("coffee", "coffee")).toBe(true);
    expect(matches("coffee", "coffee/x")).toBe(false);
    expect(matches("hello/world", "hello")).toBe(false);
    expect(matches("hello/world", "hello/World")).toBe(false);
  });

  test("+ matches exactly one level, empty ones included, and captures it", () => {
    expect(capture("iot/+/telemetry", "iot/pi-1/telemetry")).toEqual(["pi-1"]);
    expect(capture("iot/+/+", "iot/pi-1/image")).toEqual(["pi-1", "image"]);
    expect(capture("iot/+/telemetry", "iot//telemetry")).toEqual([""]);
    expect(matches("iot/+/telemetry", "iot/pi-1/image")).toBe(false);
    expect(matches("iot/+/telemetry", "iot/telemetry")).toBe(false);
    expect(matches("iot/+/telemetry", "iot/a/b/telemetry")).toBe(false);
    expect(capture("coffee", "coffee")).toEqual([]);
  });

  test("# matches the parent level and everything below", () => {
    expect(matches("iot/#", "iot/a/b/c")).toBe(true);
    expect(matches("iot/#", "iot")).toBe(true);
    expect(matches("iot/#", "iots/a")).toBe(false);
    expect(capture("iot/+/#", "iot/pi-2/a/b")).toEqual(["pi-2"]);
    expect(matches("#", "anything/at/all")).toBe(true);
  });

  test("wildcards in the first level skip $ topics [MQTT-4.7.2-1]", () => {
    expect(matches("#", "$SYS/broker/uptime")).toBe(false);
    expect(matches("+/x", "$SYS/x")).toBe(false);
    expect(matches("$SYS/#", "$SYS/broker/uptime")).toBe(true);
  });
});
