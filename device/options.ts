/**
 * `iot device` settings: every one a flag, an `IOT_*` variable and a config-file key (see
 * src/config), checked and typed here once.
 */
import { hostname } from "node:os";
import { deviceIdProblem } from "../src/core/ids/device-id.ts";
import { ConfigError, type ConfigValue, type OptionSpec } from "../src/core/config/index.ts";

export const deviceOptions: OptionSpec[] = [
  { key: "id", type: "string", default: "", help: "this device's id [default: the host name]" },
  {
    key: "server",
    type: "string",
    default: "mqtt://127.0.0.1:1883",
    help: "MQTT URL of iot serve (mqtt:// or mqtts://)",
  },
  {
    key: "ca",
    type: "string",
    default: "",
    help: "PEM file of the CA that signed the server's certificate (mqtts)",
  },
  {
    key: "kafka",
    type: "list",
    default: [],
    help: "Kafka brokers (host:port,…): send to Kafka directly instead of MQTT",
  },
  {
    key: "kafkaFormat",
    type: "string",
    default: "iot",
    help: "with --kafka: 'iot' (iot.telemetry, iot.image, …) or 'seed' (temp_test, imgtest)",
    choices: ["iot", "seed"],
  },
  {
    key: "token",
    type: "string",
    default: "",
    help: "device token (iot token create --kind device)",
    secret: true,
  },
  {
    key: "sensor",
    type: "string",
    default: "iio",
    help: "climate sensor",
    choices: ["iio", "addon", "sim", "off"],
  },
  { key: "dht", type: "int", default: 11, help: "DHT model: 11 or 22" },
  { key: "gpio", type: "int", default: 4, help: "DHT data pin (for --sensor addon)" },
  {
    key: "camera",
    type: "string",
    default: "rpicam",
    help: "still camera",
    choices: ["rpicam", "libcamera", "ffmpeg", "sim", "off"],
  },
  {
    key: "cameraSource",
    type: "string",
    default: "",
    help: "for ffmpeg: /dev/videoN or rtsp://… [default: /dev/video0]",
  },
  {
    key: "video",
    type: "string",
    default: "off",
    help: "MJPEG video",
    choices: ["off", "rpicam", "ffmpeg", "sim"],
  },
  {
    key: "videoSource",
    type: "string",
    default: "",
    help: "for ffmpeg video [default: --camera-source]",
  },
  { key: "videoFps", type: "string", default: "5", help: "video frames per second" },
  { key: "videoSize", type: "string", default: "640x480", help: "video frame size WxH" },
  {
    key: "dataDir",
    type: "string",
    default: "/var/lib/iot-device",
    help: "where the outbox and state live",
  },
  { key: "readInterval", type: "string", default: "8", help: "seconds between sensor reads" },
  { key: "snapshotInterval", type: "string", default: "100", help: "seconds between snapshots" },
  { key: "imageSize", type: "string", default: "500x500", help: "snapshot size WxH" },
  {
    key: "outboxMaxBytes",
    type: "int",
    default: 256 * 1024 * 1024,
    help: "outbox bound; past it the oldest undelivered messages are dropped",
  },
  {
    key: "printConfig",
    type: "bool",
    default: false,
    help: "print the effective configuration and exit",
  },
];

export interface Size {
  width: number;
  height: number;
}

export interface DeviceOptions {
  id: string;
  server: string;
  ca: string;
  kafka: string[];
  kafkaFormat: "iot" | "seed";
  token: string;
  sensor: "iio" | "addon" | "sim" | "off";
  dht: 11 | 22;
  gpio: number;
  camera: "rpicam" | "libcamera" | "ffmpeg" | "sim" | "off";
  cameraSource: string;
  video: "off" | "rpicam" | "ffmpeg" | "sim";
  videoSource: string;
  videoFps: number;
  videoSize: Size;
  dataDir: string;
  /** ms */
  readInterval: number;
  /** ms */
  snapshotInterval: number;
  imageSize: Size;
  outboxMaxBytes: number;
}

/** Typed view of the resolved values, with the checks flags alone cannot express. */
export function toDeviceOptions(
  v: Record<string, ConfigValue>,
  host: () => string = hostname,
): DeviceOptions {
  const id = String(v.id || host());
  // the id is an MQTT topic level, a Kafka key and a folder: the server's one grammar
  const badId = deviceIdProblem(id);
  if (badId) throw new ConfigError(`--id: ${badId}`);
  const server = String(v.server);
  if (!/^mqtts?:\/\/[^/]+/.test(server))
    throw new ConfigError(
      `--server: expected mqtt://host:port or mqtts://host:port, got '${server}'`,
    );
  if (v.ca && !server.startsWith("mqtts://"))
    throw new ConfigError("--ca is for an mqtts:// server");
  const dht = v.dht as number;
  if (dht !== 11 && dht !== 22) throw new ConfigError(`--dht: expected 11 or 22, got ${dht}`);
  const outboxMaxBytes = v.outboxMaxBytes as number;
  if (outboxMaxBytes < 64 * 1024) throw new ConfigError("--outbox-max-bytes must be ≥ 65536");
  for (const b of v.kafka as string[])
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) throw new ConfigError(`--kafka: '${b}' is not host:port`);
  return {
    id,
    server,
    ca: String(v.ca),
    kafka: v.kafka as string[],
    kafkaFormat: v.kafkaFormat as "iot" | "seed",
    token: String(v.token),
    sensor: v.sensor as DeviceOptions["sensor"],
    dht,
    gpio: v.gpio as number,
    camera: v.camera as DeviceOptions["camera"],
    cameraSource: String(v.cameraSource),
    video: v.video as DeviceOptions["video"],
    videoSource: String(v.videoSource || v.cameraSource),
    videoFps: positive(v.videoFps, "--video-fps", 1, 120),
    videoSize: size(v.videoSize, "--video-size"),
    dataDir: String(v.dataDir),
    readInterval: seconds(v.readInterval, "--read-interval", 0.05),
    snapshotInterval: seconds(v.snapshotInterval, "--snapshot-interval", 0.2),
    imageSize: size(v.imageSize, "--image-size"),
    outboxMaxBytes,
  };
}

function positive(raw: ConfigValue, flag: string, min: number, max: number): number {
  const n = Number(String(raw).trim());
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(`${flag}: expected a number from ${min} to ${max}, got '${raw}'`);
  return n;
}

/** Seconds (decimals allowed) → ms. */
function seconds(raw: ConfigValue, flag: string, min: number): number {
  return Math.round(positive(raw, flag, min, 7 * 24 * 3600) * 1000);
}

function size(raw: ConfigValue, flag: string): Size {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(String(raw).trim());
  const width = Number(m?.[1]);
  const height = Number(m?.[2]);
  if (!m || width < 16 || height < 16 || width > 4096 || height > 4096)
    throw new ConfigError(`${flag}: expected WxH from 16x16 to 4096x4096, got '${raw}'`);
  return { width, height };
}
