import { describe, expect, test } from "bun:test";
import { concernsOf, currentMessage } from "./alert-concerns.ts";

describe("what an alert concerns", () => {
  test("a room rule links its room; a bin the bins; a person their page; a known device", () => {
    expect(concernsOf("room-rule", "room 12 rule 3")).toEqual([
      { label: "Room 12", href: "/rooms/12" },
    ]);
    expect(concernsOf("bin-full", "bin 3")).toEqual([{ label: "Bin 3", href: "/bins" }]);
    expect(concernsOf("away-too-long", "jane doe")).toEqual([
      { label: "jane doe", href: "/people/jane%20doe" },
    ]);
    expect(concernsOf("offline", "device cam/1", (id) => id === "cam/1")).toEqual([
      { label: "Device cam/1", href: "/devices/cam%2F1" },
    ]);
    expect(concernsOf("disk", "/var/lib/iot")).toEqual([]);
  });
});

describe("a message that stays current", () => {
  const raised = {
    kind: "away-too-long",
    subject: "jane",
    message: "jane has been away 31 min today (limit 30 min: 3× the group's median, at least 30)",
    state: "open",
  };
  test("an open away alert counts the person's time away up to now", () => {
    expect(currentMessage(raised, () => 95 * 60_000)).toBe(
      "jane has been away 95 min today (limit 30 min: 3× the group's median, at least 30)",
    );
  });
  test("a cleared one, another kind, or an unknown person keep the stored text", () => {
    expect(currentMessage({ ...raised, state: "cleared" }, () => 95 * 60_000)).toBe(raised.message);
    expect(currentMessage(raised, () => undefined)).toBe(raised.message);
    const bin = { kind: "bin-full", subject: "bin 3", message: "bin 3 is FULL", state: "open" };
    expect(currentMessage(bin, () => 1)).toBe("bin 3 is FULL");
  });
});
