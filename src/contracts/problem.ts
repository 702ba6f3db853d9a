/** How a value that breaks its schema is reported, at every door (HTTP 400, dead letter). */
import type { z } from "zod";

export type Checked<T> = { ok: true; data: T } | { ok: false; problem: string };

/** Checks `raw` against `schema`; a problem names the first bad field (`whole` when at the top). */
export function check<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  whole: string,
): Checked<z.infer<T>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : whole;
  return { ok: false, problem: `${field}: ${issue.message}` };
}
