import type { z } from "zod";
import { deviceIdProblem } from "../../core/ids/device-id.ts";
import { check, jsonObject } from "../../contracts/problem.ts";

/** A record that cannot be used; the message is the dead letter's reason. */
export class BadRecord extends Error {}

/** A JSON record checked by its topic's contract; else a dead letter naming what is wrong. */
export function byContract<T extends z.ZodType>(schema: T, value: Buffer): z.infer<T> {
  return checkedBy(schema, jsonRecord(value));
}

/** A record's JSON object; else a dead letter saying why it is not one. */
export function jsonRecord(value: Buffer): Record<string, unknown> {
  const object = jsonObject(value);
  if (!object.ok) throw new BadRecord(object.problem);
  return object.data;
}

/** A JSON object checked by its topic's contract; else a dead letter naming what is wrong. */
export function checkedBy<T extends z.ZodType>(schema: T, object: unknown): z.infer<T> {
  const checked = check(schema, object);
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
