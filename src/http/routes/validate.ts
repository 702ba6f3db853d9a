import type { Context } from "hono";
import type { z } from "zod";

/** Parses a JSON body against a schema; a bad body is a 400 naming the field. */
export async function jsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<{ ok: true; data: z.infer<T> } | { ok: false; res: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, res: c.json({ message: "body: invalid JSON" }, 400) };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : "body";
  return { ok: false, res: c.json({ message: `${field}: ${issue.message}` }, 400) };
}
