/**
 * DHT11/DHT22 through the `node-dht-sensor` npm addon (bit-banged from user space), for systems
 * without the kernel overlay. It is not a dependency: it is loaded at run time only if the user
 * installed it, so that the binary builds and runs everywhere without it.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Logger } from "../../src/core/log/index.ts";
import type { Sensor } from "../types.ts";
import { implausible, type DhtModel } from "./plausible.ts";
import { defaultRetry, TransientReadError, withRetry, type RetryPolicy } from "./retry.ts";

/** The part of node-dht-sensor we use. */
export interface DhtAddon {
  promises: { read(type: number, pin: number): Promise<{ temperature: number; humidity: number }> };
}

export type LoadAddon = () => DhtAddon;

export const addonName = "node-dht-sensor";

/** Resolves the addon from `dir` (the working directory), where `npm install` puts it. */
export function loadInstalledAddon(dir = process.cwd()): DhtAddon {
  const name = addonName; // a variable, so the bundler does not try to embed it
  return createRequire(join(dir, "noop.js"))(name) as DhtAddon;
}

export interface AddonSensorOptions {
  model: DhtModel;
  gpio: number;
  log: Logger;
  load?: LoadAddon;
  retry?: RetryPolicy;
  clock?: () => number;
}

export async function createAddonSensor(opts: AddonSensorOptions): Promise<Sensor> {
  let addon: DhtAddon;
  try {
    addon = opts.load ? opts.load() : loadInstalledAddon();
  } catch (err) {
    throw new Error(
      `the ${addonName} addon is not installed (${(err as Error).message.split("\n")[0]}). ` +
        `Install it with 'npm install ${addonName}' in the working directory, ` +
        "or use '--sensor iio' (kernel overlay) or '--sensor sim'.",
      { cause: err },
    );
  }
  const name = `dht${opts.model} gpio${opts.gpio} (${addonName})`;
  const clock = opts.clock ?? Date.now;

  const readOnce = async () => {
    let value: { temperature: number; humidity: number };
    try {
      value = await addon.promises.read(opts.model, opts.gpio);
    } catch (err) {
      // the addon reports a failed read as a plain Error; every one of those is worth a retry
      throw new TransientReadError((err as Error).message ?? String(err));
    }
    const why = implausible(opts.model, value.temperature, value.humidity);
    if (why) throw new TransientReadError(`implausible reading: ${why}`);
    return { ts: clock(), temperature: value.temperature, humidity: value.humidity };
  };

  return {
    name,
    read: () => withRetry(`reading ${name}`, opts.retry ?? defaultRetry, opts.log, readOnce),
    close: async () => {},
  };
}
