import { describe, expect, test } from "bun:test";
import { ConfigError, parseArgs, resolveOptions } from "../core/config/index.ts";
import { simulateOptions } from "./options.ts";

const opts = (argv: string[], env: Record<string, string> = {}) =>
  resolveOptions(simulateOptions, parseArgs(argv, simulateOptions.specs, "simulate").flags, env);

describe("simulate options", () => {
  test("defaults: the local server's ports, a small fleet, run until stopped", () => {
    const o = opts([]);
    expect(o).toMatchObject({
      http: "http://127.0.0.1:5000",
      mqtt: "mqtt://127.0.0.1:1883",
      kafka: ["127.0.0.1:9092"],
      durationMs: 0,
      rate: 0,
      camera: true,
      device: null,
      kafkaAuth: null,
    });
  });

  test("flags and IOT_* env vars", () => {
    const o = opts(["--rooms", "5", "--video", "off", "--duration", "3"], { IOT_RATE: "200" });
    expect(o).toMatchObject({ rooms: 5, video: false, durationMs: 3000, rate: 200 });
  });

  test("tokens: id and token go together; a device token alone cannot reach the seed topics", () => {
    expect(() => opts(["--device-token", "t"])).toThrow(
      /--device-id and --device-token go together/,
    );
    expect(() => opts(["--device-id", "pi", "--device-token", "t"])).toThrow(/seed topics/);
    const o = opts(["--device-id", "pi", "--device-token", "t", "--coffee", "0", "--bins", "0"]);
    expect(o.device).toEqual({ id: "pi", token: "t" });
    const k = opts([
      "--device-id",
      "pi",
      "--device-token",
      "t",
      "--kafka-user",
      "u",
      "--kafka-token",
      "k",
    ]);
    expect(k.kafkaAuth).toEqual({ username: "u", password: "k" });
  });

  test("bad values name the option", () => {
    const bad = (argv: string[], msg: RegExp) => {
      expect(() => opts(argv)).toThrow(ConfigError);
      expect(() => opts(argv)).toThrow(msg);
    };
    bad(["--rate", "-5"], /--rate: -5 is out of range/);
    bad(["--http", "localhost:5000"], /--http: expected http: or https: URL/);
    bad(["--mqtt", "::"], /--mqtt: '::' is not a URL/);
    bad(["--video-fps", "0"], /--video-fps/);
    bad(["--camera", "maybe"], /'maybe' is not one of on, off/);
  });
});
