/**
 * A change record on the `iot.changes` topic: key = the event kind (so a compacted topic keeps
 * the newest of each), value `{"origin":"<process id>","at":<ms>}` — the origin lets a process
 * skip its own changes when it reads them back, `at` shows the delay when debugging.
 */
import { iotEventTypes, type IotEventType } from "../bus.ts";

export interface Change {
  kind: IotEventType;
  origin: string;
  at: number;
}

const kinds = new Set<string>(iotEventTypes);

export function encodeChange(c: Change): { key: string; value: string } {
  return { key: c.kind, value: JSON.stringify({ origin: c.origin, at: c.at }) };
}

/** The change a record carries, or null for anything else (a record nobody here wrote). */
export function decodeChange(key: Buffer | null, value: Buffer | null): Change | null {
  const kind = key?.toString("utf8");
  if (!kind || !kinds.has(kind) || !value || value.length > 1024) return null;
  try {
    const v = JSON.parse(value.toString("utf8")) as { origin?: unknown; at?: unknown };
    if (typeof v.origin !== "string" || typeof v.at !== "number") return null;
    return { kind: kind as IotEventType, origin: v.origin, at: v.at };
  } catch {
    return null;
  }
}
