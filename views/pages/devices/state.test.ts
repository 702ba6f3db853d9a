import { describe, expect, test } from "bun:test";
import {
  STALE_FALLBACK_MS,
  STALE_MIN_MS,
  deviceState,
  deviceType,
  staleAfterMs,
  usualIntervalMs,
} from "./state.ts";

const now = 1_800_000_000_000;
const row = (
  over: Partial<{ online: boolean; last_seen: number | null; status: string | null }>,
) => ({
  online: true,
  last_seen: now,
  status: "Active",
  ...over,
});

describe("device state", () => {
  test("the usual interval is the median gap, in any order", () => {
    expect(usualIntervalMs([3000, 1000, 2000, 5000])).toBe(1000);
    expect(usualIntervalMs([0, 1000])).toBeUndefined();
    expect(usualIntervalMs([5, 5, 5])).toBeUndefined();
  });

  test("stale after 3 usual intervals, with a floor, or a fixed threshold when unknown", () => {
    expect(staleAfterMs(60_000)).toBe(180_000);
    expect(staleAfterMs(100)).toBe(STALE_MIN_MS);
    expect(staleAfterMs(undefined)).toBe(STALE_FALLBACK_MS);
    expect(deviceState(row({ last_seen: now - 170_000 }), now, 60_000)).toBe("online");
    expect(deviceState(row({ last_seen: now - 190_000 }), now, 60_000)).toBe("stale");
    expect(deviceState(row({ last_seen: now - 60_000 }), now)).toBe("online");
    expect(deviceState(row({ last_seen: now - STALE_FALLBACK_MS - 1 }), now)).toBe("stale");
  });

  test("never seen, offline and inactive win over stale", () => {
    expect(deviceState(row({ last_seen: null, online: false }), now)).toBe("never");
    expect(deviceState(row({ online: false, last_seen: now - 1e9 }), now)).toBe("offline");
    expect(deviceState(row({ status: "Inactive", last_seen: now - 1e9 }), now)).toBe("inactive");
  });

  test("type: coffee by its topic, camera by its snapshots, else a Pi agent once seen", () => {
    expect(deviceType({ kind: "coffee", last_seen: 1 }, true)).toBe("coffee");
    expect(deviceType({ kind: "device", last_seen: 1 }, true)).toBe("camera");
    expect(deviceType({ kind: "device", last_seen: 1 }, false)).toBe("agent");
    expect(deviceType({ kind: "device", last_seen: null }, false)).toBe("unknown");
  });
});
