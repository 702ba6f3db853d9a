import type { z } from "zod";
import { deviceIdProblem } from "../../core/ids/device-id.ts";
import { check, jsonObject } from "../../contracts/problem.ts";

/** A record that cannot be used; the message is the dead letter's reason. */
export class BadRecord extends Error {}

/** A JSON record checked by its topic's contract; else a dead letter naming what is wrong. */
export function byContract<T extends z.ZodType>(schema: T, value: Buffer): z.infer<T> {
  const object = jsonObject(value);
  if (!object.ok) throw new BadRecord(object.problem);
  const checked = check(schema, object.data);
  if (!checked.ok) throw new BadRecord(checked.problem);
  return checked.data;
}

/** A record's key that must be a device id (the bridge keys device topics by it). */
export function deviceKey(key: string | null, what: string): string {
  if (!key) throw new BadRecord(`${what} without a device id key`);
  const problem = deviceIdProblem(key);
  if (problem) throw new BadRecord(`key: ${problem}`);
  return key;
}
