/**
 * What a device is and how it is doing, from its row and the times of its newest messages (pure).
 *
 * Stale: a device that says it is online but has sent nothing for 3 of its usual intervals (the
 * median gap between its newest messages), never less than STALE_MIN_MS; when too few messages
 * are stored to tell its interval, past STALE_FALLBACK_MS. A device that reported `Inactive` was
 * told to be quiet: its silence is not staleness.
 */
import type { DeviceRow } from "../data.ts";

export type DeviceType = "coffee" | "camera" | "agent" | "unknown";
export type DeviceState = "online" | "stale" | "offline" | "never" | "inactive";

export const STALE_INTERVALS = 3;
export const STALE_MIN_MS = 10_000;
export const STALE_FALLBACK_MS = 5 * 60_000;

export const typeLabels: Record<DeviceType, string> = {
  coffee: "Coffee machine",
  camera: "Camera",
  agent: "Pi agent",
  unknown: "Unknown",
};

export const stateLabels: Record<DeviceState, string> = {
  online: "online",
  stale: "stale",
  offline: "offline",
  never: "never seen",
  inactive: "inactive",
};

/** The median gap between message times (any order); undefined with fewer than 3 times. */
export function usualIntervalMs(times: number[]): number | undefined {
  if (times.length < 3) return undefined;
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted
    .slice(1)
    .map((t, i) => t - sorted[i]!)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  if (gaps.length === 0) return undefined;
  return gaps[Math.floor(gaps.length / 2)]!;
}

/** How long a silence may last before the device is stale. */
export function staleAfterMs(intervalMs: number | undefined): number {
  return intervalMs === undefined
    ? STALE_FALLBACK_MS
    : Math.max(STALE_MIN_MS, STALE_INTERVALS * intervalMs);
}

type StateInput = Pick<DeviceRow, "online" | "last_seen" | "status">;

export function deviceState(d: StateInput, now: number, intervalMs?: number): DeviceState {
  if (!d.last_seen) return "never";
  if (!d.online) return "offline";
  if (d.status === "Inactive") return "inactive";
  return now - d.last_seen > staleAfterMs(intervalMs) ? "stale" : "online";
}

/** Coffee machines report on `coffee`; cameras send snapshots; other seen devices are Pi agents. */
export function deviceType(
  d: Pick<DeviceRow, "kind" | "last_seen">,
  isCamera: boolean,
): DeviceType {
  if (d.kind === "coffee") return "coffee";
  if (isCamera) return "camera";
  return d.last_seen ? "agent" : "unknown";
}

/** The name to show: the operator's display name, else the id. */
export const displayName = (d: { id: string; name?: string | null }) => d.name || d.id;
