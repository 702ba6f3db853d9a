/** Topic `rtsp-stream`: the seed's RTSP producer writes each frame as raw JPEG bytes. */
import { topics } from "../core/kafka/topics.ts";
import { bytes, noKey, noMsgId, type TopicContract } from "./contract.ts";

export const topic = topics.rtspStream;

export const schema = bytes(
  "One video frame: raw JPEG bytes (no serializer), served on GET /video_feed",
);

export const rtspStream: TopicContract = {
  topic,
  schema,
  key: noKey,
  msgId: noMsgId,
};
