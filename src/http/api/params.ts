/**
 * The JSON API's query parameters as zod schemas: the handlers parse with them (a bad value is a
 * 400 naming the parameter) and /openapi.json documents them from the same objects.
 */
import type { Context } from "hono";
import { z } from "zod";
import { check } from "../../contracts/problem.ts";
import { buckets } from "../../store/history.ts";
import { parseTimeParam } from "./time.ts";

export const MAX_LIMIT = 10_000;

export const limit = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, `expected an integer 1..${MAX_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_LIMIT, `expected an integer 1..${MAX_LIMIT}`)
    .optional()
    .transform((n) => n ?? fallback)
    .describe(`how many rows at most (1..${MAX_LIMIT}, default ${fallback})`);

export const format = z
  .enum(["json", "csv"], { error: "expected json or csv" })
  .default("json")
  .describe("json, or csv (a download with ISO times)");

/** A time: epoch milliseconds (`0` included) or ISO 8601 with an offset. */
export const time = (what: string) =>
  z
    .string()
    .transform((raw, ctx) => {
      const ms = parseTimeParam(raw);
      if (ms === undefined) {
        ctx.addIssue({
          code: "custom",
          message: "expected epoch milliseconds or ISO 8601 with an offset",
        });
        return z.NEVER;
      }
      return ms;
    })
    .optional()
    .describe(
      `${what}: epoch ms (0 works) or ISO 8601 with offset, e.g. 2026-11-22T10:00:00+09:00`,
    );

export const bucket = z
  .enum(buckets, { error: `expected one of ${buckets.join(", ")}` })
  .default("raw")
  .describe("raw rows, or roll-ups per 1m, 5m, 1h or 1d (UTC days): count and min/mean/max");

export const cursor = z
  .string()
  .max(200)
  .optional()
  .describe("where the page starts: the `next` of the previous page (opaque)");

export const integerText = (what: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, "expected an integer")
    .transform(Number)
    .optional()
    .describe(what);

export const text = (what: string) => z.string().min(1).max(200).optional().describe(what);

/** Parses the query with `schema`; a 400 names the bad parameter. */
export function query<T extends z.ZodType>(
  c: Context,
  schema: T,
): { ok: true; data: z.infer<T> } | { ok: false; res: Response } {
  const checked = check(schema, c.req.query());
  if (checked.ok) return checked;
  return { ok: false, res: c.json({ message: checked.problem }, 400) };
}
