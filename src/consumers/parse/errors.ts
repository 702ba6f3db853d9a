import { deviceIdProblem } from "../../core/ids/device-id.ts";

/** A record that cannot be used; the message is the dead letter's reason. */
export class BadRecord extends Error {}

export function json(buf: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(buf.toString("utf8"));
  } catch (e) {
    throw new BadRecord(`invalid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new BadRecord("expected a JSON object");
  return v as Record<string, unknown>;
}

/** A device id (a key or a payload field) that keeps to the one grammar; else a dead letter. */
export function deviceId(v: unknown, field: string): string {
  const id = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : v; // the seeds' m_id
  const problem = deviceIdProblem(id);
  if (problem) throw new BadRecord(`${field}: ${problem}`);
  return id as string;
}

/** A number given as a number or a numeric string (the seeds send strings). */
export function num(v: unknown, field: string): number {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new BadRecord(`${field}: expected a number, got ${JSON.stringify(v)}`);
  return n;
}

/** "YYYY-mm-dd HH:MM:SS" (local time, as the seeds write it), ISO 8601, or epoch ms. */
export function time(v: unknown, field: string): number {
  if (typeof v === "number" && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v === "string") {
    const t = Date.parse(v.includes("T") ? v : v.replace(" ", "T"));
    if (Number.isFinite(t)) return t;
  }
  throw new BadRecord(`${field}: expected a time, got ${JSON.stringify(v)}`);
}
