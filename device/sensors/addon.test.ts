import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/core/log/index.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { createAddonSensor, loadInstalledAddon, type DhtAddon } from "./addon.ts";

const dirs = tempDirs("iot-addon-");
afterAll(() => dirs.cleanup());

const noPause = { attempts: 3, delayMs: 1, maxDelayMs: 1, sleep: async () => {} };

/** A stand-in for node-dht-sensor that answers from a script of results. */
function fakeAddon(results: ({ temperature: number; humidity: number } | Error)[]) {
  const calls: [number, number][] = [];
  const addon: DhtAddon = {
    promises: {
      read: async (type, pin) => {
        calls.push([type, pin]);
        const r = results.shift() ?? new Error("no more results");
        if (r instanceof Error) throw r;
        return r;
      },
    },
  };
  return { addon, calls };
}

describe("node-dht-sensor addon sensor", () => {
  test("not installed: a clear error saying how to install it or what to use instead", async () => {
    const err = await createAddonSensor({ model: 22, gpio: 4, log: silentLogger }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain("npm install node-dht-sensor");
    expect(err.message).toContain("--sensor sim");
  });

  test("an installed addon is found in node_modules of the working directory", async () => {
    const dir = dirs.make();
    mkdirSync(join(dir, "node_modules/node-dht-sensor"), { recursive: true });
    writeFileSync(
      join(dir, "node_modules/node-dht-sensor/index.js"),
      "exports.promises = { read: async (type, pin) => ({ temperature: type + 0.5, humidity: pin }) };",
    );
    const sensor = await createAddonSensor({
      model: 22,
      gpio: 17,
      log: silentLogger,
      load: () => loadInstalledAddon(dir),
    });
    const r = await sensor.read();
    expect([r.temperature, r.humidity]).toEqual([22.5, 17]);
  });

  test("reads through the addon with the model and pin; failed reads are retried", async () => {
    const { addon, calls } = fakeAddon([
      new Error("failed to read sensor"),
      { temperature: 21.5, humidity: 48 },
    ]);
    const sensor = await createAddonSensor({
      model: 22,
      gpio: 17,
      log: silentLogger,
      load: () => addon,
      retry: noPause,
      clock: () => 5,
    });
    expect(await sensor.read()).toEqual({ ts: 5, temperature: 21.5, humidity: 48 });
    expect(calls).toEqual([
      [22, 17],
      [22, 17],
    ]);
  });

  test("impossible values on every attempt: rejects", async () => {
    const bad = { temperature: 25, humidity: 300 };
    const { addon } = fakeAddon([bad, bad, bad]);
    const sensor = await createAddonSensor({
      model: 11,
      gpio: 4,
      log: silentLogger,
      load: () => addon,
      retry: noPause,
    });
    expect((await sensor.read().catch((e) => e)).message).toMatch(/failed 3 times.*humidity 300/);
  });
});
