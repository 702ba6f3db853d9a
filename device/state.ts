/**
 * What the agent remembers across restarts, in `<data-dir>/state.json`: the last command it was
 * given (Active/Inactive) and a boot counter that makes every message id unique forever.
 * Written atomically (temp file, fsync, rename), so a power cut leaves the old or the new state.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export type DeviceStatus = "Active" | "Inactive";

export interface DeviceState {
  status: DeviceStatus;
  /** incremented at every start; the prefix of message ids */
  boot: number;
}

const initial: DeviceState = { status: "Active", boot: 0 };

export function loadState(dataDir: string): DeviceState {
  let raw: string;
  try {
    raw = readFileSync(join(dataDir, "state.json"), "utf8");
  } catch {
    return { ...initial };
  }
  try {
    const o = JSON.parse(raw) as Partial<DeviceState>;
    return {
      status: o.status === "Inactive" ? "Inactive" : "Active",
      boot: Number.isSafeInteger(o.boot) && o.boot! >= 0 ? o.boot! : 0,
    };
  } catch {
    return { ...initial }; // unreadable: start Active, as a new device does
  }
}

export function saveState(dataDir: string, state: DeviceState): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, "state.json.tmp");
  writeFileSync(tmp, JSON.stringify(state));
  const fd = openSync(tmp, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dataDir, "state.json"));
}

/** Loads the state, counts this start and saves it before anything is sent. */
export function startBoot(dataDir: string): DeviceState {
  const state = loadState(dataDir);
  state.boot += 1;
  saveState(dataDir, state);
  return state;
}

/** A command's payload: plain `Active`/`Inactive` or JSON `{"status": …}`; null if neither. */
export function parseCommand(payload: Buffer | string): DeviceStatus | null {
  const text = payload.toString().trim();
  let status: unknown = text;
  if (text.startsWith("{")) {
    try {
      status = (JSON.parse(text) as { status?: unknown }).status;
    } catch {
      return null;
    }
  }
  return status === "Active" || status === "Inactive" ? status : null;
}
