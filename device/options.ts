/**
 * `iot device` settings: every one a flag, an `IOT_*` variable and a config-file key (see
 * src/core/config), declared, checked and typed here once.
 */
import { hostname } from "node:os";
import { deviceIdProblem } from "../src/core/ids/device-id.ts";
import {
  ConfigError,
  defineOptions,
  idlePageOutOption,
  printConfigOption,
} from "../src/core/config/index.ts";

export const deviceOptions = defineOptions(
  {
    id: {
      type: "string",
      default: "",
      help: "this device's id [default: the host name]",
      parse: (raw, flag) => deviceId(raw || hostname(), flag),
    },
    server: {
      type: "string",
      default: "mqtt://127.0.0.1:1883",
      help: "MQTT URL of iot serve (mqtt:// or mqtts://)",
      parse: (raw, flag) => {
        if (!/^mqtts?:\/\/[^/]+/.test(raw))
          throw new ConfigError(
            `${flag}: expected mqtt://host:port or mqtts://host:port, got '${raw}'`,
          );
        return raw;
      },
    },
    ca: {
      type: "string",
      default: "",
      help: "PEM file of the CA that signed the server's certificate (mqtts)",
    },
    kafka: {
      type: "list",
      default: [],
      help: "Kafka brokers (host:port,…): send to Kafka directly instead of MQTT",
      parse: (brokers, flag) => {
        for (const b of brokers)
          if (!/^[^:\s]+:\d{1,5}$/.test(b))
            throw new ConfigError(`${flag}: '${b}' is not host:port`);
        return brokers;
      },
    },
    kafkaFormat: {
      type: "string",
      default: "iot",
      help: "with --kafka: 'iot' (iot.telemetry, iot.image, …) or 'seed' (temp_test, imgtest)",
      choices: ["iot", "seed"],
    },
    token: {
      type: "string",
      default: "",
      help: "device token (iot token create --kind device)",
      secret: true,
    },
    sensor: {
      type: "string",
      default: "iio",
      help: "climate sensor",
      choices: ["iio", "addon", "sim", "off"],
    },
    dht: {
      type: "int",
      default: 11,
      help: "DHT model: 11 or 22",
      parse: (n, flag) => {
        if (n === 11 || n === 22) return n;
        throw new ConfigError(`${flag}: expected 11 or 22, got ${n}`);
      },
    },
    gpio: { type: "int", default: 4, help: "DHT data pin (for --sensor addon)" },
    camera: {
      type: "string",
      default: "rpicam",
      help: "still camera",
      choices: ["rpicam", "libcamera", "ffmpeg", "sim", "off"],
    },
    cameraSource: {
      type: "string",
      default: "",
      help: "for ffmpeg: /dev/videoN or rtsp://… [default: /dev/video0]",
    },
    video: {
      type: "string",
      default: "off",
      help: "MJPEG video",
      choices: ["off", "rpicam", "ffmpeg", "sim"],
    },
    videoSource: {
      type: "string",
      default: "",
      help: "for ffmpeg video [default: --camera-source]",
    },
    videoFps: {
      type: "string",
      default: "5",
      help: "video frames per second",
      parse: (raw, flag) => number(raw, flag, 1, 120),
    },
    videoSize: { type: "string", default: "640x480", help: "video frame size WxH", parse: size },
    dataDir: {
      type: "string",
      default: "/var/lib/iot-device",
      help: "where the outbox and state live",
    },
    readInterval: {
      type: "string",
      default: "8",
      help: "seconds between sensor reads",
      parse: (raw, flag) => seconds(raw, flag, 0.05),
    },
    snapshotInterval: {
      type: "string",
      default: "100",
      help: "seconds between snapshots",
      parse: (raw, flag) => seconds(raw, flag, 0.2),
    },
    imageSize: { type: "string", default: "500x500", help: "snapshot size WxH", parse: size },
    outboxMaxBytes: {
      type: "int",
      default: 256 * 1024 * 1024,
      help: "outbox bound; past it the oldest undelivered messages are dropped",
      min: 64 * 1024,
    },
    idlePageOut: idlePageOutOption,
    printConfig: printConfigOption,
  },
  // the checks and defaults that involve two options
  (v) => {
    if (v.ca && !v.server.startsWith("mqtts://"))
      throw new ConfigError("--ca is for an mqtts:// server");
    return { ...v, videoSource: v.videoSource || v.cameraSource };
  },
);

export type DeviceOptions = ReturnType<typeof deviceOptions.read>;

export interface Size {
  width: number;
  height: number;
}

/** The id is an MQTT topic level, a Kafka key and a folder: the server's one grammar. */
function deviceId(id: string, flag: string): string {
  const bad = deviceIdProblem(id);
  if (bad) throw new ConfigError(`${flag}: ${bad}`);
  return id;
}

function number(raw: string, flag: string, min: number, max: number): number {
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(`${flag}: expected a number from ${min} to ${max}, got '${raw}'`);
  return n;
}

/** Seconds (decimals allowed) → ms. */
function seconds(raw: string, flag: string, min: number): number {
  return Math.round(number(raw, flag, min, 7 * 24 * 3600) * 1000);
}

function size(raw: string, flag: string): Size {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(raw.trim());
  const width = Number(m?.[1]);
  const height = Number(m?.[2]);
  if (!m || width < 16 || height < 16 || width > 4096 || height > 4096)
    throw new ConfigError(`${flag}: expected WxH from 16x16 to 4096x4096, got '${raw}'`);
  return { width, height };
}
