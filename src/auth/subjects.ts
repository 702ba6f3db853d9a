/**
 * Which token subjects may exist. A device's subject becomes an MQTT topic level (`iot/<id>/…`),
 * an MQTT client id, a Kafka record key and part of a Kafka group name, so it must not hold the
 * characters that mean something there; and names iot uses for itself are not for tokens.
 */
import { INTERNAL_USER } from "./internal-secret.ts";
import type { TokenKind } from "./roles.ts";

/** Names of iot's own: its internal login, its MQTT client ids and consumer groups (`iot-…`). */
export const RESERVED_PREFIX = "iot-";

const MAX_LENGTH = 128;

/** Why this subject cannot have a token, or null when it can. */
export function subjectProblem(kind: TokenKind, subject: string): string | null {
  if (subject === "") return "the subject is empty";
  if (subject.length > MAX_LENGTH) return `the subject is longer than ${MAX_LENGTH} characters`;
  if (subject === INTERNAL_USER || subject.toLowerCase().startsWith(RESERVED_PREFIX))
    return `'${subject}' is reserved: subjects starting with '${RESERVED_PREFIX}' name iot's own clients`;
  if (kind === "http") return null; // a person's name, used nowhere else
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f/+#]/.test(subject))
    return `'${subject}' holds a space, a control character or one of / + # (it becomes an MQTT topic level)`;
  if (subject.startsWith("$")) return `'${subject}' starts with $ (reserved by MQTT)`;
  return null;
}
