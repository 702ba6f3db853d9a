/**
 * Topic `iot.image`: a device's snapshot, MQTT `iot/<id>/image`, raw JPEG bytes keyed by the
 * device id; a `captured_at` header (epoch ms) says when it was taken.
 */
import { topics } from "../core/kafka/topics.ts";
import { bytes, msgIdFromBridge, type TopicContract } from "./contract.ts";

export const topic = topics.image;

export const schema = bytes("A snapshot: raw JPEG bytes (header `captured_at`: epoch ms)");

export const image: TopicContract = {
  topic,
  schema,
  key: "the device id (the `+` level of the MQTT topic)",
  msgId: msgIdFromBridge,
  mqtt: { filter: "iot/+/image", key: { segment: 0 }, json: false },
};
