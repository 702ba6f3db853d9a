/**
 * `iot simulate` against a protected `iot serve` (--host 0.0.0.0; the test talks over loopback):
 * HTTP writes with an http token, MQTT with a device token (publishing under iot/<id>/ only),
 * and the seed topics (coffee, bins) through Kafka with a kafka token.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createToken } from "../support/token.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { counts, startSimulateProcess } from "../support/simulate-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-simulate-protected-");
let serve: ServeProcess;
let http: string;
const tokens: Record<string, string> = {};

type Row = Record<string, unknown>;
const api = async (path: string) => (await (await fetch(`${http}${path}`)).json()) as Row[];

beforeAll(async () => {
  const dataDir = dirs.make();
  for (const [kind, subject] of [
    ["device", "sim-pi"],
    ["http", "ops"],
    ["kafka", "sim-kafka"],
  ] as const) {
    // the simulator's Kafka producer writes the seed topics for a whole fleet: an admin's job
    tokens[kind] = await createToken(
      dataDir,
      kind,
      subject,
      kind === "kafka" ? "admin" : undefined,
    );
  }
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
  http = `http://127.0.0.1:${serve.httpPort}`;
});
afterAll(async () => {
  await serve?.stop();
  dirs.cleanup();
});

const fleet = [
  "--rooms",
  "1",
  "--coffee",
  "1",
  "--people",
  "3",
  "--bins",
  "1",
  "--interval",
  "200",
];

describe("iot simulate in protected mode", () => {
  test("without tokens it cannot start: one line naming the refusal, exit 1", async () => {
    const http401 = startSimulateProcess(serve, [...fleet, "--duration", "30"]);
    expect(await http401.proc.exited).toBe(1);
    expect(http401.stderr().trim().split("\n")).toHaveLength(1);
    expect(http401.stderr()).toMatch(
      /^iot simulate: cannot start: POST .*\/office_rule: 401 .*--http-token/,
    );

    const noDevice = [...fleet, "--rooms", "0", "--people", "0", "--duration", "30"];
    const mqtt = startSimulateProcess(serve, noDevice);
    expect(await mqtt.proc.exited).toBe(1);
    expect(mqtt.stderr().trim().split("\n")).toHaveLength(1);
    expect(mqtt.stderr()).toMatch(
      /^iot simulate: cannot start: cannot connect to mqtt:.*Bad username or password \(protected mode: give --device-id and --device-token\)$/m,
    );
  });

  test("with http, device and kafka tokens everything arrives", async () => {
    const sim = startSimulateProcess(serve, [
      ...fleet,
      ...["--duration", "120", "--image-interval", "300"],
      ...["--http-token", tokens.http!, "--device-id", "sim-pi", "--device-token", tokens.device!],
      ...["--kafka-user", "sim-kafka", "--kafka-token", tokens.kafka!],
    ]);
    try {
      await waitFor(async () => (await api("/api/rooms")).length === 1, 30_000, "a room");
      await waitFor(async () => (await api("/api/people")).length === 3, 30_000, "people");
      await waitFor(async () => (await api("/api/bins")).length > 0, 30_000, "bin levels (Kafka)");
      await waitFor(
        async () => (await api("/api/devices")).some((d) => d.kind === "coffee"),
        30_000,
        "a coffee device (Kafka)",
      );
      await waitFor(
        async () => (await api("/api/images?device_id=sim-pi")).length > 0,
        30_000,
        "an image",
      );
      await waitFor(() => sim.lines.some((l) => l.includes("via kafka")), 10_000, "start line");
    } finally {
      expect(await sim.stop()).toBe(0);
    }
    const c = counts(sim.lines[sim.lines.length - 1]!);
    expect(c.errors ?? 0).toBe(0);
    expect(c.rules).toBe(1);
  });
});

test("load mode with a device token: every reading under that device's own topic, all acked", async () => {
  const sim = startSimulateProcess(serve, [
    ...["--rate", "300", "--duration", "2", "--load-connections", "2"],
    ...["--device-id", "sim-pi", "--device-token", tokens.device!],
  ]);
  expect(await sim.proc.exited).toBe(0);
  const c = counts(sim.lines[sim.lines.length - 1]!);
  expect(c.sent).toBeGreaterThan(300);
  expect(c.acked).toBe(c.sent);
  await waitFor(
    async () => (await api("/api/readings?device_id=sim-pi&limit=10000")).length === c.sent,
    30_000,
    "every reading stored under sim-pi",
  );
});
