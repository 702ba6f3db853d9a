/**
 * The `msg_id` rule: every record a device sends carries one identity, so a record sent to
 * Kafka twice (a spool re-send after a crash, a late ack) is still recognised as one message.
 * It travels as the `msg_id` header (Kafka), user property (MQTT 5) or JSON field.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";

export const msgIdHeader = "msg_id";
export const maxMsgIdLength = 128;

const rule = `must be a string of 1–${maxMsgIdLength} characters`;

/** A msg_id as a JSON payload's field; refused as `msg_id must be a string of 1–128 characters`. */
export const msgIdField = (() => {
  const error = `${msgIdHeader} ${rule}`;
  return z
    .string({ error })
    .min(1, { error })
    .max(maxMsgIdLength, { error })
    .describe(
      `The message's identity (1–${maxMsgIdLength} characters): a re-sent record keeps it, and the sinks store it once`,
    );
})();

/** Why `v` is not a msg_id (naming it as `what`: `header msg_id`, `field 'msg_id'`), or null. */
export function msgIdProblem(v: unknown, what: string): string | null {
  return msgIdField.safeParse(v).success ? null : `${what} ${rule}`;
}

/** Digits of a generated id's sequence number (base 36): 2.8 × 10¹² ids before it widens. */
export const MSG_ID_SEQ_DIGITS = 8;
/** Digits of its process start time (ms, base 36): enough until the year 5188. */
const START_DIGITS = 9;

/**
 * Ids unique across restarts without any state on disk: a per-process prefix — the process's
 * start time and 48 random bits — and a sequence number. Both numbers are zero-padded, so each
 * id sorts after the ones made before it, in this process and (clock allowing) in earlier ones:
 * SQLite's `readings_msg` index (msg_id first) then takes every device's new rows at its end,
 * where a commit rewrites one leaf, instead of in the middle of its pages (unpadded, `10` <
 * `100` < `11`), where each split rewrote three.
 */
export function msgIdGenerator(now = Date.now()): () => string {
  const start = Math.max(0, Math.floor(now)).toString(36).padStart(START_DIGITS, "0");
  const prefix = `${start}${randomBytes(6).toString("base64url")}`;
  let seq = 0;
  return () => `${prefix}-${(seq++).toString(36).padStart(MSG_ID_SEQ_DIGITS, "0")}`;
}
