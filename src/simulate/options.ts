/**
 * `iot simulate` options: flags, `IOT_*` env vars and the config file, like every subcommand.
 * The typed view checks what the specs cannot (ranges, URLs, tokens that go together).
 */
import { ConfigError, type ConfigValue, type OptionSpec } from "../core/config/index.ts";

const onOff = ["on", "off"] as const;

export const simulateOptions: OptionSpec[] = [
  { key: "http", type: "string", default: "http://127.0.0.1:5000", help: "iot serve's HTTP URL" },
  { key: "mqtt", type: "string", default: "mqtt://127.0.0.1:1883", help: "MQTT broker URL" },
  {
    key: "kafka",
    type: "list",
    default: ["127.0.0.1:9092"],
    help: "Kafka brokers: the seed topics with --kafka-token, video with --video-path kafka",
  },
  { key: "rooms", type: "int", default: 3, help: "rooms posting /office_status" },
  { key: "coffee", type: "int", default: 3, help: "coffee devices moving on MQTT `coffee`" },
  { key: "people", type: "int", default: 6, help: "employees badging at /entrance" },
  { key: "bins", type: "int", default: 2, help: "bins filling up on MQTT `hello/world`" },
  {
    key: "camera",
    type: "string",
    default: "on",
    help: "snapshots on iot/<id>/image",
    choices: onOff,
  },
  { key: "video", type: "string", default: "on", help: "a live video feed", choices: onOff },
  {
    key: "videoPath",
    type: "string",
    default: "mqtt",
    help: "video frames on MQTT iot/<id>/video, or raw JPEG to Kafka rtsp-stream as the seed",
    choices: ["mqtt", "kafka"],
  },
  { key: "duration", type: "int", default: 0, help: "seconds to run (0: until Ctrl-C)" },
  { key: "seed", type: "int", default: 1, help: "the random seed: the same seed, the same fleet" },
  { key: "interval", type: "int", default: 1000, help: "ms between the fleet's messages" },
  { key: "imageInterval", type: "int", default: 10_000, help: "ms between camera snapshots" },
  { key: "videoFps", type: "int", default: 2, help: "video frames per second" },
  {
    key: "rate",
    type: "int",
    default: 0,
    help: "load mode: this many telemetry readings/s (QoS 1) instead of the demo fleet",
  },
  { key: "loadDevices", type: "int", default: 1000, help: "load mode: virtual devices" },
  { key: "loadConnections", type: "int", default: 8, help: "load mode: MQTT connections" },
  { key: "reportEvery", type: "int", default: 5, help: "seconds between progress lines" },
  {
    key: "httpToken",
    type: "string",
    default: "",
    help: "protected mode: bearer token for HTTP writes (iot token create --kind http)",
    secret: true,
  },
  {
    key: "deviceId",
    type: "string",
    default: "",
    help: "protected mode: the device id --device-token belongs to (MQTT username)",
  },
  {
    key: "deviceToken",
    type: "string",
    default: "",
    help: "protected mode: device token for MQTT (publishes only under iot/<device-id>/)",
    secret: true,
  },
  {
    key: "kafkaUser",
    type: "string",
    default: "",
    help: "protected mode: the subject --kafka-token belongs to",
  },
  {
    key: "kafkaToken",
    type: "string",
    default: "",
    help: "admin Kafka token (--access admin): the seed topics (coffee, bins) go to Kafka",
    secret: true,
  },
];

export interface SimulateOptions {
  http: string;
  mqtt: string;
  kafka: string[];
  rooms: number;
  coffee: number;
  people: number;
  bins: number;
  camera: boolean;
  video: boolean;
  videoPath: "mqtt" | "kafka";
  durationMs: number;
  seed: number;
  intervalMs: number;
  imageIntervalMs: number;
  videoFps: number;
  rate: number;
  loadDevices: number;
  loadConnections: number;
  reportEveryMs: number;
  httpToken: string;
  device: { id: string; token: string } | null;
  kafkaAuth: { username: string; password: string } | null;
}

export function toSimulateOptions(v: Record<string, ConfigValue>): SimulateOptions {
  const int = (key: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = v[key] as number;
    if (n < min || n > max) {
      const flag = "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
      throw new ConfigError(`${flag}: ${n} is out of range ${min}..${max}`);
    }
    return n;
  };
  const url = (key: string, schemes: string[]) => {
    const raw = String(v[key]);
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new ConfigError(`--${key}: '${raw}' is not a URL`);
    }
    if (!schemes.includes(u.protocol))
      throw new ConfigError(`--${key}: expected ${schemes.join(" or ")} URL, got '${raw}'`);
    return raw.replace(/\/+$/, "");
  };
  const pair = (idKey: string, tokenKey: string, idFlag: string, tokenFlag: string) => {
    const id = String(v[idKey] ?? "");
    const token = String(v[tokenKey] ?? "");
    if (!id !== !token) throw new ConfigError(`${idFlag} and ${tokenFlag} go together`);
    return id ? { id, token } : null;
  };
  const device = pair("deviceId", "deviceToken", "--device-id", "--device-token");
  const kafka = pair("kafkaUser", "kafkaToken", "--kafka-user", "--kafka-token");
  const brokers = v.kafka as string[];
  if (kafka && brokers.length === 0) throw new ConfigError("--kafka-token needs --kafka brokers");
  if (device && !kafka && ((v.coffee as number) > 0 || (v.bins as number) > 0) && !v.rate) {
    throw new ConfigError(
      "a device token may publish only under iot/<id>/, not on the seed topics coffee and " +
        "hello/world: add --kafka-user/--kafka-token (they then go to Kafka), or --coffee 0 --bins 0",
    );
  }
  return {
    http: url("http", ["http:", "https:"]),
    mqtt: url("mqtt", ["mqtt:", "mqtts:"]),
    kafka: brokers,
    rooms: int("rooms", 0, 1000),
    coffee: int("coffee", 0, 1000),
    people: int("people", 0, 1000),
    bins: int("bins", 0, 1000),
    camera: v.camera === "on",
    video: v.video === "on",
    videoPath: v.videoPath === "kafka" ? "kafka" : "mqtt",
    durationMs: int("duration", 0) * 1000,
    seed: v.seed as number,
    intervalMs: int("interval", 10),
    imageIntervalMs: int("imageInterval", 100),
    videoFps: int("videoFps", 1, 30),
    rate: int("rate", 0, 10_000_000),
    loadDevices: int("loadDevices", 1, 1_000_000),
    loadConnections: int("loadConnections", 1, 256),
    reportEveryMs: int("reportEvery", 1) * 1000,
    httpToken: String(v.httpToken ?? ""),
    device,
    kafkaAuth: kafka ? { username: kafka.id, password: kafka.token } : null,
  };
}
