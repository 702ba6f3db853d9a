/**
 * The `msg_id` rule: every record a device sends carries one identity, so a record sent to
 * Kafka twice (a spool re-send after a crash, a late ack) is still recognised as one message.
 * It travels as the `msg_id` header (Kafka), user property (MQTT 5) or JSON field.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";

export const msgIdHeader = "msg_id";
export const maxMsgIdLength = 128;

export const msgIdSchema = z
  .string()
  .min(1)
  .max(maxMsgIdLength)
  .describe(
    `The message's identity (1–${maxMsgIdLength} characters): a re-sent record keeps it, and sinks store it once`,
  );

/** A msg_id is a string of 1–128 characters; says what is wrong (naming `what`), or null. */
export function msgIdProblem(v: unknown, what: string): string | null {
  if (msgIdSchema.safeParse(v).success) return null;
  return `${what} must be a string of 1–${maxMsgIdLength} characters`;
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
