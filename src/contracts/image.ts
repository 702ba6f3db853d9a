/**
 * Topic `iot.image`: a device's snapshot, MQTT `iot/<id>/image`, raw JPEG bytes keyed by the
 * device id; a `captured_at` header (epoch ms) says when it was taken.
 */
import { topics } from "../core/kafka/topics.ts";
import { bytes, deviceTopic } from "./contract.ts";

export const topic = topics.image;

export const schema = bytes("A snapshot: raw JPEG bytes (header `captured_at`: epoch ms)");

export const image = deviceTopic(topic, "image", schema, false);
