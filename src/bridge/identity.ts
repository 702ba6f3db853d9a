/**
 * Message identity at ingress. Every bridged record carries a `msg_id` header — the device's
 * own (MQTT 5 user property `msg_id`, or a JSON payload's `msg_id` field), else one the bridge
 * makes up when the message arrives, before it can be spooled — so a record sent to Kafka twice
 * (a spool re-send after a crash, a late ack) is still recognised as one message by the sinks.
 */
import { msgIdHeader, msgIdProblem } from "../contracts/msg-id.ts";

/** MQTT 5 user properties as mqtt-packet parses them (a repeated name becomes an array). */
export type UserProperties = Record<string, string | string[]>;

/** Headers the bridge sets itself: a device's user property cannot override them. */
export const reservedHeaders: ReadonlySet<string> = new Set([
  msgIdHeader,
  "mqtt_topic",
  "device_id",
  "received_at",
  "dropped_properties",
]);

/** How many user properties become headers, and how big each may be. */
export const userPropertyLimits = { count: 16, nameLength: 64, valueLength: 512 };

/**
 * The device's msg_id user property (undefined when absent), or the reason it is unusable.
 * Given more than once with different values it is ambiguous: refused.
 */
export function userMsgId(props: UserProperties | undefined): { id?: string; problem?: string } {
  const raw = props?.[msgIdHeader];
  if (raw === undefined) return {};
  const values = Array.isArray(raw) ? [...new Set(raw)] : [raw];
  if (values.length !== 1) return { problem: "user property msg_id given with several values" };
  const problem = msgIdProblem(values[0], "user property msg_id");
  return problem ? { problem } : { id: values[0]! };
}

/**
 * User properties as Kafka headers, bounded: at most `count` of them, names and values within
 * their lengths (a repeated property keeps its first value), reserved names skipped. What was
 * left out is counted in a `dropped_properties` header, never silently.
 */
export function userPropertyHeaders(props: UserProperties | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!props) return headers;
  let kept = 0;
  let dropped = 0;
  for (const [name, raw] of Object.entries(props)) {
    if (name === msgIdHeader) continue; // handled as identity
    const value = Array.isArray(raw) ? raw[0] : raw;
    const fits =
      value !== undefined &&
      !reservedHeaders.has(name) &&
      name !== "__proto__" &&
      kept < userPropertyLimits.count &&
      name.length > 0 &&
      name.length <= userPropertyLimits.nameLength &&
      value.length <= userPropertyLimits.valueLength;
    if (!fits) {
      dropped++;
      continue;
    }
    headers[name] = value;
    kept++;
  }
  if (dropped > 0) headers.dropped_properties = String(dropped);
  return headers;
}
