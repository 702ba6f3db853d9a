/**
 * DHT11/DHT22 through the Linux kernel's `dht11` IIO driver (`dtoverlay=dht11,gpiopin=4`, which
 * serves both models). The driver exposes `/sys/bus/iio/devices/iio:deviceN/` with a `name` of
 * `dht11`, and reading `in_temp_input` / `in_humidityrelative_input` triggers a measurement
 * (milli-degrees, milli-percent).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../src/core/log/index.ts";
import type { Reading, Sensor } from "../types.ts";
import { implausible, type DhtModel } from "./plausible.ts";
import { defaultRetry, TransientReadError, withRetry, type RetryPolicy } from "./retry.ts";

export const defaultIioRoot = "/sys/bus/iio/devices";

/** Reads one sysfs file as text; the seam through which tests inject EIO and ETIMEDOUT. */
export type ReadText = (path: string) => Promise<string>;

export interface IioSensorOptions {
  model: DhtModel;
  root?: string;
  log: Logger;
  readText?: ReadText;
  retry?: RetryPolicy;
  clock?: () => number;
}

const readTextFile: ReadText = (path) => readFile(path, "utf8");

/** The `iio:deviceN` directory whose `name` is `dht11`, or a clear error saying how to get one. */
export async function findDht11(root: string, readText: ReadText = readTextFile): Promise<string> {
  let entries: string[];
  try {
    entries = (await readdir(root)).filter((e) => e.startsWith("iio:device")).sort();
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    const name = await readText(join(root, entry, "name")).catch(() => "");
    if (name.trim() === "dht11") return join(root, entry);
  }
  throw new Error(
    `no DHT sensor found: no ${root}/iio:device*/name reads 'dht11'. ` +
      "Add 'dtoverlay=dht11,gpiopin=4' (your data pin) to /boot/firmware/config.txt and reboot, " +
      "or run with '--sensor sim' to simulate one.",
  );
}

export async function createIioSensor(opts: IioSensorOptions): Promise<Sensor> {
  const readText = opts.readText ?? readTextFile;
  const retry = opts.retry ?? defaultRetry;
  const clock = opts.clock ?? Date.now;
  const dir = await findDht11(opts.root ?? defaultIioRoot, readText);
  const name = `dht${opts.model} ${dir}`;
  opts.log.info("sensor found", { dir });

  const milli = async (file: string): Promise<number> => {
    const text = (await readText(join(dir, file))).trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value))
      throw new TransientReadError(`${file} read '${text}', not a number`);
    return value / 1000;
  };

  const readOnce = async (): Promise<Reading> => {
    const temperature = await milli("in_temp_input");
    const humidity = await milli("in_humidityrelative_input");
    const why = implausible(opts.model, temperature, humidity);
    if (why) throw new TransientReadError(`implausible reading: ${why}`);
    return { ts: clock(), temperature, humidity };
  };

  return {
    name,
    read: () => withRetry(`reading ${name}`, retry, opts.log, readOnce),
    close: async () => {},
  };
}
