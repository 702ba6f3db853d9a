/**
 * `iot simulate` options: flags, `IOT_*` env vars and the config file, like every subcommand,
 * declared once here with their checks (ranges, URLs, tokens that go together).
 */
import { ConfigError, defineOptions } from "../core/config/index.ts";

const onOff = ["on", "off"] as const;

export const simulateOptions = defineOptions(
  {
    http: {
      type: "string",
      default: "http://127.0.0.1:5000",
      help: "iot serve's HTTP URL",
      parse: (raw, flag) => url(raw, flag, ["http:", "https:"]),
    },
    mqtt: {
      type: "string",
      default: "mqtt://127.0.0.1:1883",
      help: "MQTT broker URL",
      parse: (raw, flag) => url(raw, flag, ["mqtt:", "mqtts:"]),
    },
    kafka: {
      type: "list",
      default: ["127.0.0.1:9092"],
      help: "Kafka brokers: the seed topics with --kafka-token, video with --video-path kafka",
    },
    rooms: { type: "int", default: 3, help: "rooms posting /office_status", min: 0, max: 1000 },
    coffee: {
      type: "int",
      default: 3,
      help: "coffee devices moving on MQTT `coffee`",
      min: 0,
      max: 1000,
    },
    people: { type: "int", default: 6, help: "employees badging at /entrance", min: 0, max: 1000 },
    bins: {
      type: "int",
      default: 2,
      help: "bins filling up on MQTT `hello/world`",
      min: 0,
      max: 1000,
    },
    camera: { type: "string", default: "on", help: "snapshots on iot/<id>/image", choices: onOff },
    video: { type: "string", default: "on", help: "a live video feed", choices: onOff },
    videoPath: {
      type: "string",
      default: "mqtt",
      help: "video frames on MQTT iot/<id>/video, or raw JPEG to Kafka rtsp-stream as the seed",
      choices: ["mqtt", "kafka"],
    },
    duration: { type: "int", default: 0, help: "seconds to run (0: until Ctrl-C)", min: 0 },
    seed: { type: "int", default: 1, help: "the random seed: the same seed, the same fleet" },
    interval: { type: "int", default: 1000, help: "ms between the fleet's messages", min: 10 },
    imageInterval: { type: "int", default: 10_000, help: "ms between camera snapshots", min: 100 },
    videoFps: { type: "int", default: 2, help: "video frames per second", min: 1, max: 30 },
    rate: {
      type: "int",
      default: 0,
      help: "load mode: this many telemetry readings/s (QoS 1) instead of the demo fleet",
      min: 0,
      max: 10_000_000,
    },
    loadDevices: {
      type: "int",
      default: 1000,
      help: "load mode: virtual devices",
      min: 1,
      max: 1_000_000,
    },
    loadConnections: {
      type: "int",
      default: 8,
      help: "load mode: MQTT connections",
      min: 1,
      max: 256,
    },
    reportEvery: { type: "int", default: 5, help: "seconds between progress lines", min: 1 },
    httpToken: {
      type: "string",
      default: "",
      help: "protected mode: bearer token for HTTP writes (iot token create --kind http)",
      secret: true,
    },
    deviceId: {
      type: "string",
      default: "",
      help: "protected mode: the device id --device-token belongs to (MQTT username)",
    },
    deviceToken: {
      type: "string",
      default: "",
      help: "protected mode: device token for MQTT (publishes only under iot/<device-id>/)",
      secret: true,
    },
    kafkaUser: {
      type: "string",
      default: "",
      help: "protected mode: the subject --kafka-token belongs to",
    },
    kafkaToken: {
      type: "string",
      default: "",
      help: "admin Kafka token (--access admin): the seed topics (coffee, bins) go to Kafka",
      secret: true,
    },
  },
  // the checks that involve two options, and the shape the simulation reads
  (v) => {
    const device = pair(v.deviceId, v.deviceToken, "--device-id", "--device-token");
    const kafka = pair(v.kafkaUser, v.kafkaToken, "--kafka-user", "--kafka-token");
    if (kafka && v.kafka.length === 0) throw new ConfigError("--kafka-token needs --kafka brokers");
    if (device && !kafka && (v.coffee > 0 || v.bins > 0) && !v.rate) {
      throw new ConfigError(
        "a device token may publish only under iot/<id>/, not on the seed topics coffee and " +
          "hello/world: add --kafka-user/--kafka-token (they then go to Kafka), or --coffee 0 --bins 0",
      );
    }
    return {
      http: v.http,
      mqtt: v.mqtt,
      kafka: v.kafka,
      rooms: v.rooms,
      coffee: v.coffee,
      people: v.people,
      bins: v.bins,
      camera: v.camera === "on",
      video: v.video === "on",
      videoPath: v.videoPath,
      durationMs: v.duration * 1000,
      seed: v.seed,
      intervalMs: v.interval,
      imageIntervalMs: v.imageInterval,
      videoFps: v.videoFps,
      rate: v.rate,
      loadDevices: v.loadDevices,
      loadConnections: v.loadConnections,
      reportEveryMs: v.reportEvery * 1000,
      httpToken: v.httpToken,
      device,
      kafkaAuth: kafka ? { username: kafka.id, password: kafka.token } : null,
    };
  },
);

export type SimulateOptions = ReturnType<typeof simulateOptions.read>;

/** A URL of one of `schemes`, without trailing slashes. */
function url(raw: string, flag: string, schemes: string[]): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${flag}: '${raw}' is not a URL`);
  }
  if (!schemes.includes(u.protocol))
    throw new ConfigError(`${flag}: expected ${schemes.join(" or ")} URL, got '${raw}'`);
  return raw.replace(/\/+$/, "");
}

/** An id and its token: both or neither. */
function pair(id: string, token: string, idFlag: string, tokenFlag: string) {
  if (!id !== !token) throw new ConfigError(`${idFlag} and ${tokenFlag} go together`);
  return id ? { id, token } : null;
}
