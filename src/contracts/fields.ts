/**
 * Field schemas the topic contracts share. Their messages are the dead letters' reasons, so
 * they say what was expected and what came (`temp: expected a number, got "hot"`).
 */
import { z } from "zod";
import { DEVICE_ID_PATTERN, DEVICE_ID_RULE, deviceIdProblem } from "../core/ids/device-id.ts";

const got = (v: unknown) => JSON.stringify(v);

/** A value given as a number or as text, converted by `convert` (undefined: refused). */
const fromNumberOrText = (expected: string, convert: (v: number | string) => number | undefined) =>
  z
    .union([z.number(), z.string()], {
      error: (iss) => `expected ${expected}, got ${got(iss.input)}`,
    })
    .transform((v, ctx) => {
      const converted = convert(v);
      if (converted !== undefined) return converted;
      ctx.issues.push({ code: "custom", message: `expected ${expected}, got ${got(v)}`, input: v });
      return z.NEVER;
    });

/** `numeric`'s conversion (the sinks' hand-written checks use it too): undefined when refused. */
export function numberOf(v: number | string): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** `time`'s conversion to epoch ms (as `numberOf`): undefined when refused. */
export function timeOf(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? (v < 1e11 ? v * 1000 : v) : undefined;
  const t = Date.parse(v.includes("T") ? v : v.replace(" ", "T"));
  return Number.isFinite(t) ? t : undefined;
}

/** A number given as a number or as numeric text (the seeds send strings): a number. */
export const numeric = fromNumberOrText("a number", numberOf).describe("a number, or numeric text");

/** "YYYY-mm-dd HH:MM:SS" (local time, as the seeds write it), ISO 8601, or epoch s or ms: ms. */
export const time = fromNumberOrText("a time", timeOf).describe(
  '"YYYY-mm-dd HH:MM:SS" local time, ISO 8601, or epoch seconds or milliseconds',
);

/** A device id (src/core/ids grammar) as a string. */
export const deviceId = z
  .string({ error: (iss) => deviceIdProblem(iss.input) })
  .refine((id) => DEVICE_ID_PATTERN.test(id), { error: (iss) => deviceIdProblem(iss.input) })
  .describe(`A device id: ${DEVICE_ID_RULE}`);

/** The seeds' `m_id`: a device id, or an integer standing for one (`0`), as text. */
export const seedDeviceId = (field: string) =>
  z
    .union([z.string(), z.number()], {
      error: (iss) => (iss.input == null ? `${field} is missing` : deviceIdProblem(iss.input)),
    })
    .transform((v, ctx) => {
      const id = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : v;
      const problem = id === "" ? `${field} is missing` : deviceIdProblem(id);
      if (problem === undefined) return id as string;
      ctx.issues.push({ code: "custom", message: problem, input: v });
      return z.NEVER;
    })
    .describe(`The device id, or an integer standing for it (${DEVICE_ID_RULE})`);
