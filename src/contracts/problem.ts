/** How a value that breaks its schema is reported, at every door (HTTP 400, dead letter). */
import type { z } from "zod";

export type Checked<T> = { ok: true; data: T } | { ok: false; problem: string };

/**
 * Checks `raw` against `schema`. A problem is the first issue as `field: message` (`whole:
 * message` at the top, or the message alone without `whole`); a message that names its field
 * itself (`m_id is missing`) is kept as it is.
 */
export function check<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  whole?: string,
): Checked<z.infer<T>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const { path, message } = parsed.error.issues[0]!;
  const field = path.length ? path.join(".") : whole;
  const named = path.length > 0 && message.startsWith(`${String(path.at(-1))} `);
  return { ok: false, problem: field === undefined || named ? message : `${field}: ${message}` };
}

/** A JSON payload that must be an object (every JSON topic's is). */
export function jsonObject(payload: Buffer): Checked<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(payload.toString("utf8"));
  } catch (e) {
    return { ok: false, problem: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    return { ok: false, problem: "payload must be a JSON object" };
  return { ok: true, data: v as Record<string, unknown> };
}
