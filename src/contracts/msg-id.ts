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

/**
 * Ids unique across restarts without any state on disk: a random per-process prefix (72 bits)
 * and a sequence number.
 */
export function msgIdGenerator(): () => string {
  const prefix = randomBytes(9).toString("base64url");
  let seq = 0;
  return () => `${prefix}-${(seq++).toString(36)}`;
}
