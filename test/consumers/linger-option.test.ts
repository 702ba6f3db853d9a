/**
 * `--consumer-linger-ms` reaches the in-process consumers of a real `iot serve`: a steady stream
 * of QoS 1 readings is stored in rounds no closer together than the linger — the SQLite commits
 * a second it allows, counted by the sinks' batch metric.
 */
import { afterAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-linger-option-");
let serve: ServeProcess | undefined;
afterAll(async () => {
  await serve?.stop();
});

const metric = async (port: number, line: string) => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const found = text.split("\n").find((l) => l.startsWith(line));
  return found ? Number(found.split(" ").pop()) : 0;
};

test("readings sent for 2 s are stored in rounds at least --consumer-linger-ms apart", async () => {
  serve = await startServeProcess({
    dataDir: dirs.make(),
    args: ["--consumer-linger-ms", "500"],
  });
  const stored = `iot_sink_records_total{outcome="ok",sink="readings"}`;
  const batches = `iot_sink_batches_total{sink="readings"}`;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
    clientId: "linger-probe",
  });
  // one reading first, so the sink's rounds are under way before the stream is counted
  await client.publishAsync("iot/pi-linger/telemetry", '{"temperature":20}', { qos: 1 });
  await waitFor(async () => (await metric(serve!.httpPort, stored)) === 1, 20_000, "first");
  const before = await metric(serve.httpPort, batches);
  const started = performance.now();
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < 400; i++) {
    sent.push(client.publishAsync("iot/pi-linger/telemetry", `{"temperature":${i}}`, { qos: 1 }));
    await Bun.sleep(5); // ~200 a second for 2 s
  }
  await Promise.all(sent);
  await waitFor(async () => (await metric(serve!.httpPort, stored)) === 401, 20_000, "all");
  const seconds = (performance.now() - started) / 1000;
  const rounds = (await metric(serve.httpPort, batches)) - before;
  await client.endAsync();
  // at most one round per 500 ms (and the one that was due); the default 10 ms made ~100
  expect(rounds).toBeGreaterThan(0);
  expect(rounds).toBeLessThanOrEqual(Math.ceil(seconds / 0.5) + 2);
}, 60_000);
