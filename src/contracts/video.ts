/** Topic `iot.video`: a device's video frames, MQTT `iot/<id>/video`, raw JPEG bytes. */
import { topics } from "../core/kafka/topics.ts";
import { bytes, msgIdFromBridge, type TopicContract } from "./contract.ts";

export const topic = topics.video;

export const schema = bytes("One video frame: raw JPEG bytes, served on GET /video_feed");

export const video: TopicContract = {
  topic,
  schema,
  key: "the device id (the `+` level of the MQTT topic)",
  msgId: msgIdFromBridge,
  mqtt: { filter: "iot/+/video", key: { segment: 0 }, json: false },
};
