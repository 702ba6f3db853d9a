/** The sample configuration and the unit stay in step with what the agent and the README say. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveOptions } from "../src/core/config/index.ts";
import { deviceOptions } from "./options.ts";

const read = (f: string) => readFileSync(join(import.meta.dir, f), "utf8");

test("iot-device.toml parses and sets only the agent's settings", () => {
  const sample = Bun.TOML.parse(read("iot-device.toml")) as Record<string, unknown>;
  const known = Object.keys(deviceOptions.decls);
  for (const key of Object.keys(sample)) expect(known).toContain(key);
  expect(sample).toMatchObject({
    sensor: "iio",
    dht: 11,
    camera: "rpicam",
    dataDir: "/var/lib/iot-device",
  });
  expect(sample.readInterval as number).toBeGreaterThanOrEqual(2); // the DHT's minimum
  expect(sample.token).toBeUndefined(); // secrets go in the env file
  // and the agent accepts it as it is
  const flags = new Map<string, unknown>([["config", "iot-device.toml"]]);
  const options = resolveOptions(deviceOptions, flags, {}, () => read("iot-device.toml"));
  expect(options).toMatchObject({ id: "pi-livingroom", readInterval: 8000 });
});

test("iot-device.service runs the config the README installs, as the dedicated user", () => {
  const unit = read("iot-device.service");
  expect(unit).toContain(
    "ExecStart=/usr/local/bin/iot device --config /etc/iot-device/iot-device.toml",
  );
  expect(unit).toMatch(/^Restart=always$/m);
  expect(unit).toMatch(/^User=iot$/m);
  expect(unit).toMatch(/^SupplementaryGroups=video gpio$/m);
  expect(unit).toMatch(/^StateDirectory=iot-device$/m);
  expect(unit).toMatch(/^EnvironmentFile=-\/etc\/iot-device\/env$/m);
  const readme = read("README.md");
  for (const path of ["/etc/iot-device/env", "iot-device.toml", "--groups video,gpio iot"])
    expect(readme).toContain(path);
});
