/**
 * The usual payloads checked by hand, before their topic's zod schema: on the sinks' hot path
 * zod cost more than the rest of a reading's work. A check here only ever accepts: anything it
 * does not recognise as plainly right — including everything wrong — is left to the schema,
 * whose message is the dead letter's reason, so reasons stay the schema's. What a check accepts
 * the schema accepts too, with the same values (parse.test.ts compares them on random input).
 */
import { maxMsgIdLength } from "../../contracts/msg-id.ts";
import { numberOf, timeOf } from "../../contracts/fields.ts";
import { DEVICE_ID_PATTERN } from "../../core/ids/device-id.ts";

/** not plainly right: ask the schema */
export const UNSURE: unique symbol = Symbol("unsure");
export type Unsure = typeof UNSURE;

/** `numeric` / `time` fields: a number or text the schema converts the same way. */
const converted = (convert: (v: number | string) => number | undefined) => (v: unknown) =>
  typeof v === "number" || typeof v === "string" ? (convert(v) ?? UNSURE) : UNSURE;

export const plainNumeric = converted(numberOf);
export const plainTime = converted(timeOf);

/** An optional field: absent is undefined, present is checked by `check`. */
export const optional =
  <T>(check: (v: unknown) => T | Unsure) =>
  (v: unknown): T | undefined | Unsure =>
    v === undefined ? undefined : check(v);

/** `msg_id` (contracts/msg-id.ts): a string of 1–128 characters. */
export const plainMsgId = (v: unknown): string | Unsure =>
  typeof v === "string" && v.length >= 1 && v.length <= maxMsgIdLength ? v : UNSURE;

/** The seeds' `m_id` (contracts/fields.ts seedDeviceId): a device id, or an integer for one. */
export function plainSeedDeviceId(v: unknown): string | Unsure {
  const id = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : v;
  return typeof id === "string" && DEVICE_ID_PATTERN.test(id) ? id : UNSURE;
}
