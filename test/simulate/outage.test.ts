/**
 * The server goes away mid-run and comes back on the same ports: `iot simulate` keeps running
 * (failures counted, not fatal), its MQTT devices reconnect, and SIGTERM still ends it cleanly.
 */
import { afterAll, expect, test } from "bun:test";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { counts, startSimulateProcess } from "../support/simulate-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-simulate-outage-");
let serve: ServeProcess | undefined;
afterAll(async () => {
  await serve?.stop();
  dirs.cleanup();
});

type Row = Record<string, unknown>;

test("server stopped and restarted: failures are counted, devices reconnect, exit stays clean", async () => {
  const dataDir = dirs.make();
  serve = await startServeProcess({ dataDir });
  const ports = { http: serve.httpPort, kafka: serve.kafkaPort, mqtt: serve.mqttPort };
  const http = `http://127.0.0.1:${ports.http}`;
  const lastSeen = async () => {
    const rows = (await (await fetch(`${http}/api/devices`)).json()) as Row[];
    return Number(rows.find((d) => d.kind === "coffee")?.last_seen_ms ?? 0);
  };
  const sim = startSimulateProcess(serve, [
    ...["--rooms", "1", "--coffee", "1", "--people", "0", "--bins", "1", "--camera", "off"],
    ...["--video", "off", "--interval", "200", "--report-every", "1", "--duration", "300"],
  ]);
  try {
    await waitFor(async () => (await lastSeen().catch(() => 0)) > 0, 30_000, "a coffee device");
    expect(await serve.stop()).toBe(0);
    const errorsNow = () => counts(sim.lines[sim.lines.length - 1] ?? "").errors ?? 0;
    await waitFor(() => errorsNow() > 0, 30_000, "failed room posts to be counted");
    expect(sim.proc.exitCode).toBeNull(); // still running

    serve = await startServeProcess({ dataDir, ports });
    const before = await lastSeen();
    await waitFor(async () => (await lastSeen()) > before, 30_000, "the coffee device to be back");
  } finally {
    expect(await sim.stop()).toBe(0);
  }
  expect(sim.lines[sim.lines.length - 1]).toMatch(/^iot simulate: total .* coffee=\d+/);
});
