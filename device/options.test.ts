import { expect, test } from "bun:test";
import { hostname } from "node:os";
import { resolveOptions } from "../src/core/config/index.ts";
import { deviceOptions } from "./options.ts";

const resolve = (flags: Record<string, unknown> = {}, env = {}, file?: string) =>
  resolveOptions(
    deviceOptions,
    new Map(Object.entries(file ? { ...flags, config: "d.toml" } : flags)),
    env,
    () => file ?? "",
  );

test("defaults: the seed's intervals and size, the service's data dir, MQTT on loopback", () => {
  const o = resolve();
  expect(o).toMatchObject({
    id: hostname(),
    server: "mqtt://127.0.0.1:1883",
    kafka: [],
    sensor: "iio",
    dht: 11,
    camera: "rpicam",
    video: "off",
    dataDir: "/var/lib/iot-device",
    readInterval: 8000,
    snapshotInterval: 100_000,
    imageSize: { width: 500, height: 500 },
  });
});

test("flags win over IOT_* variables, which win over the file", () => {
  const file = 'id = "from-file"\nreadInterval = 10\nsnapshotInterval = 60\ntoken = "f"\n';
  const o = resolve({ readInterval: "0.5" }, { IOT_TOKEN: "secret", IOT_ID: "env-id" }, file);
  expect(o).toMatchObject({
    id: "env-id",
    token: "secret",
    readInterval: 500,
    snapshotInterval: 60_000,
  });
});

test("video and kafka settings", () => {
  const o = resolve({
    kafka: "a:9092,b:9093",
    video: "ffmpeg",
    cameraSource: "rtsp://cam/1",
    videoFps: "2.5",
    videoSize: "320x240",
  });
  expect(o).toMatchObject({
    kafka: ["a:9092", "b:9093"],
    videoSource: "rtsp://cam/1",
    videoFps: 2.5,
    videoSize: { width: 320, height: 240 },
  });
});

test("bad values are clear errors", () => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ id: "a/b" }, /--id/],
    [{ id: "#" }, /--id/],
    [{ server: "http://x" }, /--server/],
    [{ ca: "ca.pem" }, /--ca is for an mqtts/],
    [{ dht: "12" }, /--dht/],
    [{ sensor: "dht" }, /not one of/],
    [{ readInterval: "0" }, /--read-interval/],
    [{ readInterval: "soon" }, /--read-interval/],
    [{ imageSize: "500" }, /--image-size/],
    [{ imageSize: "0x0" }, /--image-size/],
    [{ videoFps: "1000" }, /--video-fps/],
    [{ kafka: "nohost" }, /--kafka/],
    [{ outboxMaxBytes: "10" }, /--outbox-max-bytes/],
  ];
  for (const [flags, msg] of bad) expect(() => resolve(flags)).toThrow(msg);
});
