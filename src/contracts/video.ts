/** Topic `iot.video`: a device's video frames, MQTT `iot/<id>/video`, raw JPEG bytes. */
import { topics } from "../core/kafka/topics.ts";
import { bytes, deviceTopic } from "./contract.ts";

export const topic = topics.video;

export const schema = bytes("One video frame: raw JPEG bytes, served on GET /video_feed");

export const video = deviceTopic(topic, "video", schema, false);
