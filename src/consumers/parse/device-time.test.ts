import { expect, test } from "bun:test";
import { MetricsRegistry } from "../../metrics/index.ts";
import { DeviceClocks, EARLIEST, LATEST } from "./device-time.ts";

const NOW = Date.UTC(2026, 11, 2, 12);

test("a device's time is kept unless it is before 2001 or from 2050 on", () => {
  const metrics = new MetricsRegistry();
  const warned: unknown[] = [];
  const log = { warn: (_m: string, f: unknown) => warned.push(f) } as never;
  const clocks = new DeviceClocks({ log, metrics, now: () => NOW });
  const arrived = NOW - 1000;
  // a late reading from an outbox, and a clock a little ahead: kept
  expect(clocks.believe("readings", "pi", NOW - 40 * 86_400_000, arrived)).toBe(
    NOW - 40 * 86_400_000,
  );
  expect(clocks.believe("readings", "pi", LATEST - 1, arrived)).toBe(LATEST - 1);
  expect(clocks.believe("readings", "pi", EARLIEST, arrived)).toBe(EARLIEST);
  // 1970, an RTC reset to 2000, and 2099: the arrival time
  expect(clocks.believe("readings", "pi", 5000, arrived)).toBe(arrived);
  expect(clocks.believe("readings", "pi", EARLIEST - 1, arrived)).toBe(arrived);
  expect(clocks.believe("readings", "pi", Date.UTC(2099, 0, 1), arrived)).toBe(arrived);
  expect(clocks.believe("images", "cam", LATEST, arrived)).toBe(arrived);
  // the record stamped by the same wrong clock (a device writing Kafka itself): the server's
  expect(clocks.believe("readings", "kafka-pi", 5000, 5000)).toBe(NOW);
  expect(metrics.render()).toContain('iot_device_clock_replaced_total{kind="readings"} 4');
  expect(metrics.render()).toContain('iot_device_clock_replaced_total{kind="images"} 1');
  // logged once per device (and kind) in 10 minutes, with what the device claimed
  expect(warned).toEqual([
    {
      kind: "readings",
      device: "pi",
      deviceTime: "1970-01-01T00:00:05.000Z",
      storedAt: new Date(arrived).toISOString(),
    },
    expect.objectContaining({ kind: "images", device: "cam" }),
    expect.objectContaining({ device: "kafka-pi", storedAt: new Date(NOW).toISOString() }),
  ]);
});
