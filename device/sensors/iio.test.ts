import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/core/log/index.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { createIioSensor, findDht11, type ReadText } from "./iio.ts";
import type { RetryPolicy } from "./retry.ts";

const dirs = tempDirs("iot-iio-");
afterAll(() => dirs.cleanup());

/** A sysfs-like tree: several IIO devices, only `iio:device2` is the DHT. */
function fakeSysfs(temp = "23400", humidity = "41250"): string {
  const root = dirs.make();
  const device = (entry: string, files: Record<string, string>) => {
    mkdirSync(join(root, entry));
    for (const [f, v] of Object.entries(files)) writeFileSync(join(root, entry, f), v + "\n");
  };
  device("iio:device0", { name: "ads1015", in_voltage0_raw: "1234" });
  device("iio:device1", { name: "bme280", in_temp_input: "99000" });
  device("iio:device2", {
    name: "dht11",
    in_temp_input: temp,
    in_humidityrelative_input: humidity,
  });
  device("trigger0", { name: "dht11" }); // not an iio:device entry
  return root;
}

/** Records pauses instead of sleeping, so retries cost no wall time. */
function noSleep(attempts = 5): RetryPolicy & { pauses: number[] } {
  const pauses: number[] = [];
  return {
    attempts,
    delayMs: 500,
    maxDelayMs: 2100,
    sleep: async (ms) => void pauses.push(ms),
    pauses,
  };
}

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: read failed`), { code });
}

/** Reads real files, but the first `failures` reads of a value file throw with `code`. */
function flakyReader(failures: number, code: string): ReadText & { calls: number } {
  const reader = Object.assign(
    async (path: string) => {
      if (!path.endsWith("/name") && reader.calls++ < failures) throw errno(code);
      return readFileSync(path, "utf8");
    },
    { calls: 0 },
  );
  return reader;
}

describe("iio dht11 sensor", () => {
  test("finds the device named dht11 among several", async () => {
    const root = fakeSysfs();
    expect(await findDht11(root)).toBe(join(root, "iio:device2"));
  });

  test("reads milli-units as °C and %RH, stamped by the clock", async () => {
    const sensor = await createIioSensor({
      model: 22,
      root: fakeSysfs("-4500", "87125"),
      log: silentLogger,
      clock: () => 1_700_000_000_000,
    });
    expect(await sensor.read()).toEqual({
      ts: 1_700_000_000_000,
      temperature: -4.5,
      humidity: 87.125,
    });
    expect(sensor.name).toContain("iio:device2");
  });

  test("no dht11 device: an actionable error naming the overlay and --sensor sim", async () => {
    const root = dirs.make();
    mkdirSync(join(root, "iio:device0"));
    writeFileSync(join(root, "iio:device0/name"), "ads1015\n");
    for (const r of [root, join(root, "missing")]) {
      const err = await createIioSensor({ model: 11, root: r, log: silentLogger }).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toContain("dtoverlay=dht11,gpiopin=4");
      expect(err.message).toContain("--sensor sim");
    }
  });

  for (const code of ["EIO", "ETIMEDOUT", "EAGAIN"]) {
    test(`${code} twice, then a good read: retried with growing pauses`, async () => {
      const retry = noSleep();
      const readText = flakyReader(2, code);
      const sensor = await createIioSensor({
        model: 11,
        root: fakeSysfs(),
        log: silentLogger,
        readText,
        retry,
      });
      const reading = await sensor.read();
      expect(reading.temperature).toBe(23.4);
      expect(reading.humidity).toBe(41.25);
      expect(retry.pauses).toEqual([500, 1000]);
    });
  }

  test("retries exhausted: read() rejects with the cause, the process carries on", async () => {
    const retry = noSleep(4);
    const readText = flakyReader(1_000, "ETIMEDOUT");
    const sensor = await createIioSensor({
      model: 11,
      root: fakeSysfs(),
      log: silentLogger,
      readText,
      retry,
    });
    const err = await sensor.read().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/failed 4 times in a row \(last: ETIMEDOUT/);
    expect(readText.calls).toBe(4);
    expect(retry.pauses).toEqual([500, 1000, 2000]);
    // still alive and usable: the next read tries again
    await sensor.read().catch(() => {});
    expect(readText.calls).toBe(8);
  });

  test("physically impossible values are failed reads, not readings", async () => {
    for (const [t, h] of [
      ["200000", "40000"],
      ["25000", "140000"],
      ["garbage", "40000"],
    ]) {
      const retry = noSleep(2);
      const sensor = await createIioSensor({
        model: 11,
        root: fakeSysfs(t, h),
        log: silentLogger,
        retry,
      });
      const err = await sensor.read().catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(/implausible|not a number/);
    }
  });

  test("an error that is not transient is not retried", async () => {
    const retry = noSleep();
    const sensor = await createIioSensor({
      model: 11,
      root: fakeSysfs(),
      log: silentLogger,
      retry,
      readText: async (p) => (p.endsWith("/name") ? "dht11" : Promise.reject(errno("EACCES"))),
    });
    expect((await sensor.read().catch((e) => e)).code).toBe("EACCES");
    expect(retry.pauses).toEqual([]);
  });
});
