import type { Context } from "hono";
import type { z } from "zod";
import { check } from "../../contracts/problem.ts";
import { unsupported } from "../protect/index.ts";

/**
 * Parses a JSON body against a schema; a bad body is a 400 naming the field, not JSON a 415.
 * `fast` (a hot route's own check) may take the body first: what it returns stands for the
 * schema's parse, and what it leaves (undefined) goes to the schema for its verdict.
 */
export async function jsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
  fast?: (raw: unknown) => z.infer<T> | undefined,
): Promise<{ ok: true; data: z.infer<T> } | { ok: false; res: Response }> {
  const refused = unsupported(c, ["json"]);
  if (refused) return { ok: false, res: refused };
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, res: c.json({ message: "body: invalid JSON" }, 400) };
  }
  const data = fast?.(raw);
  return data !== undefined ? { ok: true, data } : parseWith(schema, raw);
}

/** Validates an already-parsed body; a 400 names the first bad field. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  raw: unknown,
): { ok: true; data: z.infer<T> } | { ok: false; res: Response } {
  const checked = check(schema, raw, "body");
  if (checked.ok) return checked;
  return { ok: false, res: Response.json({ message: checked.problem }, { status: 400 }) };
}
