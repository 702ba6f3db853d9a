/**
 * The climate sensor of `iot device`: the kernel IIO driver (the default on a Pi), the optional
 * node-dht-sensor addon, or a simulation.
 */
import type { Logger } from "../../src/core/log/index.ts";
import type { Sensor } from "../types.ts";
import { createAddonSensor } from "./addon.ts";
import { createIioSensor, defaultIioRoot } from "./iio.ts";
import { createSimSensor } from "./sim.ts";

export interface SensorOptions {
  kind: "iio" | "addon" | "sim";
  dht: 11 | 22;
  /** the data pin, for the addon (the IIO driver takes it from the overlay) */
  gpio?: number;
  /** default /sys/bus/iio/devices */
  iioRoot?: string;
  log: Logger;
}

export function createSensor(opts: SensorOptions): Promise<Sensor> {
  const log = opts.log.child("sensor");
  switch (opts.kind) {
    case "iio":
      return createIioSensor({ model: opts.dht, root: opts.iioRoot ?? defaultIioRoot, log });
    case "addon":
      return createAddonSensor({ model: opts.dht, gpio: opts.gpio ?? 4, log });
    case "sim":
      return Promise.resolve(createSimSensor());
  }
}
