/** `iot simulate`'s command line: bad options, a run that ends by itself, an unreachable server. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { freePort } from "../support/net.ts";
import { run } from "../support/run.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { counts } from "../support/simulate-process.ts";

const main = join(import.meta.dir, "../../src/main.ts");
const simulate = (args: string[]) =>
  run([process.execPath, main, "simulate", ...args], { timeoutMs: 60_000 });
const s = useServeProcess("iot-simulate-cli-");

describe("iot simulate command line", () => {
  test.each([
    [["--rooms", "many"], /--rooms: expected an integer, got 'many'/],
    [["--rate", "-1"], /--rate: -1 is out of range/],
    [["--video", "maybe"], /'maybe' is not one of on, off/],
    [["--colour", "red"], /unknown option '--colour'/],
  ])("%p → one clear line, exit 2", async (args, msg) => {
    const r = await simulate(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(msg as RegExp);
  });

  test("nothing listening: one line, exit 1", async () => {
    const port = await freePort();
    const r = await simulate([
      "--mqtt",
      `mqtt://127.0.0.1:${port}`,
      "--rooms",
      "0",
      "--people",
      "0",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^iot simulate: cannot start: cannot connect to mqtt:\/\/127\.0\.0\.1:\d+/,
    );
  });

  test("--duration ends the run by itself with a final report line", async () => {
    const r = await simulate([
      ...["--http", s.http, "--mqtt", `mqtt://127.0.0.1:${s.serve.mqttPort}`, "--duration", "2"],
      ...[
        "--rooms",
        "1",
        "--people",
        "0",
        "--bins",
        "0",
        "--coffee",
        "0",
        "--camera",
        "off",
        "--video",
        "off",
      ],
      ...["--interval", "100"],
    ]);
    expect(r.code).toBe(0);
    const last = r.stdout.trim().split("\n").pop()!;
    expect(last).toMatch(/^iot simulate: total 2\.\ds /);
    expect(counts(last).room).toBeGreaterThan(5);
  });

  test("load mode: readings acknowledged, rate and ack latency reported", async () => {
    const r = await simulate([
      ...["--mqtt", `mqtt://127.0.0.1:${s.serve.mqttPort}`, "--rate", "500", "--duration", "2"],
      ...["--load-devices", "20", "--load-connections", "2", "--report-every", "1"],
    ]);
    expect(r.code).toBe(0);
    const last = r.stdout.trim().split("\n").pop()!;
    expect(last).toMatch(/^iot simulate: load total .* rate=\d+\/s p50=[\d.]+ms p99=[\d.]+ms$/);
    const c = counts(last);
    expect(c.sent).toBeGreaterThan(500);
    expect(c.acked).toBe(c.sent);
    expect(c.errors).toBe(0);
    const readings = (await (
      await fetch(`${s.http}/api/readings?device_id=sim-load-3&limit=1000`)
    ).json()) as unknown[];
    expect(readings.length).toBeGreaterThan(0);
  });
});

test("--video-path kafka: raw JPEG frames on Kafka rtsp-stream, which plain /video_feed plays", async () => {
  const r = await simulate([
    ...[
      "--http",
      s.http,
      "--mqtt",
      `mqtt://127.0.0.1:${s.serve.mqttPort}`,
      "--kafka",
      s.serve.kafkaAddress,
    ],
    ...["--rooms", "0", "--people", "0", "--bins", "0", "--coffee", "0", "--camera", "off"],
    ...["--video-path", "kafka", "--video-fps", "5", "--duration", "2"],
  ]);
  expect(r.code).toBe(0);
  expect(counts(r.stdout.trim().split("\n").pop()!).frames).toBeGreaterThan(3);
  // the hub keeps the newest frame: the seed's URL shows it first
  const ctrl = new AbortController();
  const res = await fetch(`${s.http}/video_feed`, { signal: ctrl.signal });
  const reader = res.body!.getReader();
  let got = "";
  while (!/\r\n\r\n\xff\xd8/.test(got))
    got += Buffer.from((await reader.read()).value!).toString("latin1");
  ctrl.abort();
  expect(got.startsWith("--frame\r\nContent-Type: image/jpeg")).toBe(true);
});
