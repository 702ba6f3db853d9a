/** The device-id grammar (src/core/ids) as a schema, for keys and payload fields. */
import { z } from "zod";
import { DEVICE_ID_PATTERN, DEVICE_ID_RULE, deviceIdProblem } from "../core/ids/device-id.ts";

export const deviceIdSchema = z
  .string()
  .regex(DEVICE_ID_PATTERN)
  .describe(`A device id: ${DEVICE_ID_RULE}`)
  .meta({ examples: ["3DF92-192", "pi-1"] });

/** Why a key or field is not a device id, naming it (`field 'id': …`), or undefined. */
export function deviceIdFieldProblem(v: unknown, what: string): string | undefined {
  const problem = deviceIdProblem(v);
  return problem && `${what}: ${problem}`;
}
