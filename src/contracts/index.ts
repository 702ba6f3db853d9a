/**
 * Every topic the product reads or writes, one contract each: the Kafka name, the payload's
 * schema, the key rule, the `msg_id` rule; the dead-letter topic's encoder is in dead-letter.ts.
 */
import { coffee } from "./coffee.ts";
import { command } from "./command.ts";
import type { TopicContract } from "./contract.ts";
import { deadLetter } from "./dead-letter.ts";
import { entrance } from "./entrance.ts";
import { helloWorld } from "./hello-world.ts";
import { image } from "./image.ts";
import { imgTest } from "./imgtest.ts";
import { roomRule } from "./room-rule.ts";
import { room } from "./room.ts";
import { rtspStream } from "./rtsp-stream.ts";
import { status } from "./status.ts";
import { telemetry } from "./telemetry.ts";
import { tempTest } from "./temp-test.ts";
import { video } from "./video.ts";

export type { BridgeKey, TopicContract } from "./contract.ts";

/** The seeds' topics, then the devices', then the dead letters. */
export const contracts: readonly TopicContract[] = [
  tempTest,
  imgTest,
  rtspStream,
  entrance,
  room,
  roomRule,
  coffee,
  helloWorld,
  telemetry,
  image,
  video,
  status,
  command,
  deadLetter,
];

/** The topics the bridge fills from MQTT, in the order its rules are tried. */
export const bridged = contracts.filter((c) => c.mqtt !== undefined);
