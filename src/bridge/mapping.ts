/**
 * MQTT → Kafka mapping rules (pure). Kafka topic names cannot hold `/`, so MQTT levels become
 * dots and wildcard levels (the device id) move into the record key:
 * `iot/<id>/telemetry` → topic `iot.telemetry`, key `<id>`.
 */
import { deviceIdProblem } from "../core/ids/device-id.ts";
import { boundedMemo } from "../core/memo/bounded.ts";
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
  const route = routeOf(rules, mqttTopic);
  if (!route) return { kind: "unmapped" };
  const { rule } = route;
  const headers: Record<string, string> =
    ctx.userProperties === undefined && rule.headers === undefined
      ? { mqtt_topic: mqttTopic, received_at: String(now) }
      : {
          ...userPropertyHeaders(ctx.userProperties),
          ...rule.headers,
          mqtt_topic: mqttTopic,
          received_at: String(now),
        };
  let key = route.key;
  if (route.problem !== undefined) return dead(route.problem, rule, key, payload, headers);
  if (key !== null) headers.device_id = key;
  let parsed: unknown;
  if (rule.json || (rule.key && "field" in rule.key)) {
    const object = jsonObject(payload);
    if (!object.ok) return dead(object.problem, rule, key, payload, headers);
    parsed = object.data;
  }
  if (rule.key && "field" in rule.key) {
    const value = (parsed as Record<string, unknown>)[rule.key.field];
    if (typeof value !== "string" || value === "")
      return dead(
        `field '${rule.key.field}' must be a non-empty string`,
        rule,
        key,
        payload,
        headers,
      );
    const bad = deviceIdProblem(value);
    if (bad) return dead(`field '${rule.key.field}': ${bad}`, rule, key, payload, headers);
    key = value;
    headers.device_id = value;
  }
  const id = messageId(ctx, parsed);
  if ("problem" in id) return dead(id.problem, rule, key, payload, headers);
  if (id.id !== undefined) headers[msgIdHeader] = id.id;
  return { kind: "record", record: { topic: rule.kafkaTopic, key, value: payload, headers } };
}

function dead(
  reason: string,
  rule: MappingRule,
  key: string | null,
  value: Buffer,
  headers: Record<string, string>,
): Mapped {
  return { kind: "dead-letter", reason, record: { topic: rule.kafkaTopic, key, value, headers } };
}

/**
 * What a topic maps to whatever the payload: the first rule it matches, the key its topic levels
 * give (a `+` level; null for other rules), and why that key is unusable, if it is.
 */
interface Route {
  rule: MappingRule;
  key: string | null;
  problem?: string;
}

/**
 * Routes by rule set and topic, worked out once: devices publish to the same topics over and
 * over, and splitting, matching and checking the device id were a share of each message's cost.
 */
const routes = new WeakMap<readonly MappingRule[], (topic: string) => Route | null>();

function routeOf(rules: readonly MappingRule[], topic: string): Route | null {
  let route = routes.get(rules);
  if (!route) routes.set(rules, (route = boundedMemo((t) => findRoute(rules, t))));
  return route(topic);
}

function findRoute(rules: readonly MappingRule[], topic: string): Route | null {
  const topicLevels = topic.split("/");
  for (const rule of rules) {
    const levels = captureLevels(filterLevels(rule), topicLevels);
    if (!levels) continue;
    if (!rule.key || !("segment" in rule.key)) return { rule, key: null };
    const key = levels[rule.key.segment] ?? null;
    if (!key) return { rule, key, problem: "the topic level that names the key is empty" };
    const bad = deviceIdProblem(key);
    return bad ? { rule, key, problem: `device id: ${bad}` } : { rule, key };
  }
  return null;
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
