/**
 * A Pi with a wrong clock against a real `iot serve`: readings stamped 1970 and 2099 (MQTT QoS 1,
 * acknowledged by the broker) must not vanish at the lifecycle pass that follows (retention
 * counts age from a row's time), nor stay for ever: they are stored at their arrival time,
 * counted in /metrics and logged with the time the device claimed.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-device-clock-");
const servers: ServeProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  dirs.cleanup();
});

test("readings stamped 1970 and 2099 outlive a lifecycle pass, stored at their arrival time", async () => {
  const dataDir = dirs.make();
  const logFile = join(dirs.make(), "serve.log");
  // the first lifecycle pass 10 s after start, then every minute
  const serve = await startServeProcess({
    dataDir,
    args: ["--lifecycle-interval-minutes", "1"],
    stderrFile: logFile,
  });
  servers.push(serve);
  const http = `http://127.0.0.1:${serve.httpPort}`;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
    clientId: "clock-test",
  });
  const sent = Date.now();
  const readings = [
    ["pi-1970", { msg_id: "a", ts: 5, temperature: 19.5 }], // epoch seconds: 1970-01-01T00:00:05Z
    ["pi-2099", { msg_id: "b", ts: "2099-01-01T00:00:00Z", temperature: 20.5 }],
    ["pi-good", { msg_id: "c", ts: sent - 60_000, temperature: 21.5 }], // a minute old: kept as is
  ] as const;
  for (const [device, body] of readings)
    await client.publishAsync(`iot/${device}/telemetry`, JSON.stringify(body), { qos: 1 });
  await client.endAsync();

  type Row = { device_id: string; ts_ms: number; temperature: number };
  const stored = async (): Promise<Row[]> =>
    (await (await fetch(`${http}/api/readings?limit=100`)).json()) as Row[];
  await waitFor(async () => (await stored()).length === 3, 30_000, "3 readings stored");

  // a lifecycle pass that saw them: its disk-use measure (the pass's last stage) counts them
  const metrics = async () => (await fetch(`${http}/metrics`)).text();
  const storedRows = async () =>
    Number(/^iot_store_rows\{kind="readings"\} (\d+)$/m.exec(await metrics())?.[1] ?? -1);
  await waitFor(async () => (await storedRows()) > 0, 90_000, "a lifecycle pass over the rows");
  expect(await storedRows()).toBe(3);

  const rows = await stored();
  const byDevice = Object.fromEntries(rows.map((r) => [r.device_id, r]));
  expect(Object.keys(byDevice).sort()).toEqual(["pi-1970", "pi-2099", "pi-good"]);
  // the wrong clocks' readings at their arrival, the right one at its own time
  for (const device of ["pi-1970", "pi-2099"]) {
    expect(byDevice[device]!.ts_ms).toBeGreaterThanOrEqual(sent - 1000);
    expect(byDevice[device]!.ts_ms).toBeLessThanOrEqual(Date.now());
  }
  expect(byDevice["pi-good"]!.ts_ms).toBe(sent - 60_000);
  expect(byDevice["pi-1970"]!.temperature).toBe(19.5);
  expect(byDevice["pi-2099"]!.temperature).toBe(20.5);

  // the trace: counted, and logged with what the device claimed
  expect(await metrics()).toContain('iot_device_clock_replaced_total{kind="readings"} 2');
  const log = readFileSync(logFile, "utf8");
  expect(log).toContain("device clock is off");
  expect(log).toContain("1970-01-01T00:00:05.000Z");
  expect(log).toContain("2099-01-01T00:00:00.000Z");
}, 150_000);
