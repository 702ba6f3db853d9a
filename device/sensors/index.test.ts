import { afterAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/core/log/index.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { createSensor } from "./index.ts";

const dirs = tempDirs("iot-sensor-");
afterAll(() => dirs.cleanup());

test("kind iio reads the device under iioRoot", async () => {
  const root = dirs.make();
  mkdirSync(join(root, "iio:device0"));
  writeFileSync(join(root, "iio:device0/name"), "dht11\n");
  writeFileSync(join(root, "iio:device0/in_temp_input"), "19000\n");
  writeFileSync(join(root, "iio:device0/in_humidityrelative_input"), "55000\n");
  const sensor = await createSensor({ kind: "iio", dht: 11, iioRoot: root, log: silentLogger });
  const r = await sensor.read();
  expect([r.temperature, r.humidity]).toEqual([19, 55]);
  await sensor.close();
});

test("kind sim needs no hardware", async () => {
  const sensor = await createSensor({ kind: "sim", dht: 22, log: silentLogger });
  const r = await sensor.read();
  expect(typeof r.temperature).toBe("number");
  expect(typeof r.humidity).toBe("number");
});

test("kind addon without the addon rejects clearly", async () => {
  const err = await createSensor({ kind: "addon", dht: 11, gpio: 4, log: silentLogger }).catch(
    (e) => e,
  );
  expect(err.message).toContain("node-dht-sensor");
});
