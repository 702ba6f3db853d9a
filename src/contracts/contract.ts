/**
 * What a topic contract states: the Kafka topic, the payload's schema (zod, so an API reference
 * can be generated from it with `z.toJSONSchema`), how the record is keyed, where its `msg_id`
 * comes from, and — for what arrives over MQTT — the filter the bridge maps to it.
 */
import { z } from "zod";

/** Where the bridge takes a record's key: the n-th `+` level of the MQTT topic, or a JSON field. */
export type BridgeKey = { segment: number } | { field: string } | null;

export interface TopicContract {
  /** the Kafka topic */
  topic: string;
  /** the value's schema; binary values (JPEG bytes, a text line) say so in `describe()` */
  schema: z.ZodType;
  /** what the record's key is */
  key: string;
  /** where the record's `msg_id` comes from (see msg-id.ts for the rule itself) */
  msgId: string;
  /** the MQTT side, for topics the bridge fills */
  mqtt?: {
    filter: string;
    key: BridgeKey;
    /** the payload must be a JSON object before it is bridged */
    json: boolean;
  };
}

export const msgIdFromBridge =
  "the `msg_id` header: the device's MQTT 5 user property or JSON field, else one the bridge makes";
export const noMsgId = "none (the seed sends none)";
export const noKey = "none (the seed sends none)";
export const msgIdFromSeedField =
  "the payload's `msg_id` field if any (never `m_id`: that names the device)";

/** A value that is bytes, not JSON (JPEG frames): described, checked to be a Buffer. */
export const bytes = (description: string) =>
  z.custom<Buffer>((v) => Buffer.isBuffer(v)).describe(description);

/** A device topic the bridge fills from `iot/<id>/<kind>`, keyed by the device id. */
export const deviceTopic = (
  topic: string,
  kind: string,
  schema: z.ZodType,
  json: boolean,
): TopicContract => ({
  topic,
  schema,
  key: "the device id (the `+` level of the MQTT topic)",
  msgId: msgIdFromBridge,
  mqtt: { filter: `iot/+/${kind}`, key: { segment: 0 }, json },
});
