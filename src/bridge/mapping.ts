/**
 * MQTT → Kafka mapping rules (pure). Kafka topic names cannot hold `/`, so MQTT levels become
 * dots and wildcard levels (the device id) move into the record key:
 * `iot/<id>/telemetry` → topic `iot.telemetry`, key `<id>`.
 */
import { deviceIdProblem } from "../core/ids/device-id.ts";
import { bridged, type BridgeKey } from "../contracts/index.ts";
import { captureLevels } from "../mqtt/topics.ts";
import { msgIdHeader, msgIdProblem } from "../contracts/msg-id.ts";
import { jsonObject } from "../contracts/problem.ts";
import { userMsgId, userPropertyHeaders, type UserProperties } from "./identity.ts";

export interface MappingRule {
  filter: string;
  kafkaTopic: string;
  /** key from the n-th `+` level, from a JSON payload field, or none */
  key: BridgeKey;
  /** the payload must be a JSON object (with `key.field` a string, if keyed by field) */
  json?: boolean;
  /**
   * extra headers on every record (`mqtt_topic`, `device_id`, `received_at`, `msg_id` always
   * come); they win over a device's user properties of the same name
   */
  headers?: Record<string, string>;
}

/** The topic contracts' MQTT sides: `iot/+/telemetry` → `iot.telemetry` keyed by the `+`, … */
export const defaultRules: MappingRule[] = bridged.map(({ topic, mqtt }) => ({
  filter: mqtt!.filter,
  kafkaTopic: topic,
  key: mqtt!.key,
  ...(mqtt!.json ? { json: true } : {}),
}));

export interface KafkaRecord {
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

export type Mapped =
  | { kind: "record"; record: KafkaRecord }
  | { kind: "dead-letter"; reason: string; record: KafkaRecord }
  | { kind: "unmapped" };

/** What came with the message besides topic and payload. */
export interface MessageContext {
  /** MQTT 5 user properties: copied into headers (bounded); `msg_id` is the message's id */
  userProperties?: UserProperties;
  /** makes an id for a message that brings none (without it, such records have no msg_id) */
  newMsgId?: () => string;
}

export function mapMessage(
  rules: readonly MappingRule[],
  mqttTopic: string,
  payload: Buffer,
  now: number,
  ctx: MessageContext = {},
): Mapped {
  const topicLevels = mqttTopic.split("/");
  for (const rule of rules) {
    const levels = captureLevels(filterLevels(rule), topicLevels);
    if (!levels) continue;
    const headers: Record<string, string> = {
      ...userPropertyHeaders(ctx.userProperties),
      ...rule.headers,
      mqtt_topic: mqttTopic,
      received_at: String(now),
    };
    let key: string | null = null;
    let parsed: unknown;
    const dead = (reason: string): Mapped => ({
      kind: "dead-letter",
      reason,
      record: { topic: rule.kafkaTopic, key, value: payload, headers },
    });
    if (rule.key && "segment" in rule.key) {
      key = levels[rule.key.segment] ?? null;
      if (!key) return dead("the topic level that names the key is empty");
      const bad = deviceIdProblem(key);
      if (bad) return dead(`device id: ${bad}`);
      headers.device_id = key;
    }
    if (rule.json || (rule.key && "field" in rule.key)) {
      const object = jsonObject(payload);
      if (!object.ok) return dead(object.problem);
      parsed = object.data;
    }
    if (rule.key && "field" in rule.key) {
      const value = (parsed as Record<string, unknown>)[rule.key.field];
      if (typeof value !== "string" || value === "")
        return dead(`field '${rule.key.field}' must be a non-empty string`);
      const bad = deviceIdProblem(value);
      if (bad) return dead(`field '${rule.key.field}': ${bad}`);
      key = value;
      headers.device_id = value;
    }
    const id = messageId(ctx, parsed);
    if ("problem" in id) return dead(id.problem);
    if (id.id !== undefined) headers[msgIdHeader] = id.id;
    return { kind: "record", record: { topic: rule.kafkaTopic, key, value: payload, headers } };
  }
  return { kind: "unmapped" };
}

/** The user property, else a JSON payload's `msg_id` field, else a new one (if we can make it). */
function messageId(ctx: MessageContext, parsed: unknown): { id?: string } | { problem: string } {
  const fromProperty = userMsgId(ctx.userProperties);
  if (fromProperty.problem) return { problem: fromProperty.problem };
  if (fromProperty.id !== undefined) return { id: fromProperty.id };
  const field = (parsed as Record<string, unknown> | undefined)?.[msgIdHeader];
  if (field !== undefined) {
    const problem = msgIdProblem(field, "field 'msg_id'");
    return problem ? { problem } : { id: field as string };
  }
  return { id: ctx.newMsgId?.() };
}

/** Filters split once per rule, not once per message. */
const splitFilters = new WeakMap<MappingRule, string[]>();
function filterLevels(rule: MappingRule): string[] {
  let levels = splitFilters.get(rule);
  if (!levels) splitFilters.set(rule, (levels = rule.filter.split("/")));
  return levels;
}
