import { expect, test } from "bun:test";
import { ConfigError, parseArgs, resolveOptions } from "../core/config/index.ts";
import { serveOptions } from "./options.ts";

const read = (argv: string[], env: Record<string, string> = {}) =>
  resolveOptions(serveOptions, parseArgs(argv, serveOptions.specs, "serve").flags, env);

test("defaults: loopback, the usual ports, fsync before every ack", () => {
  expect(read([])).toMatchObject({
    host: "127.0.0.1",
    httpPort: 5000,
    mqttPort: 1883,
    kafkaPort: 9092,
    role: "all",
    kafkaFsync: "always",
    kafkaBrokers: [],
    insecure: false,
  });
});

test("--kafka-fsync is 'always' or milliseconds, from a flag or IOT_KAFKA_FSYNC", () => {
  expect(read(["--kafka-fsync", "1000"]).kafkaFsync).toBe(1000);
  expect(read([], { IOT_KAFKA_FSYNC: "250" }).kafkaFsync).toBe(250);
  expect(() => read(["--kafka-fsync", "sometimes"])).toThrow(
    "--kafka-fsync: expected 'always' or milliseconds, got 'sometimes'",
  );
});

test("--kafka-fsync-gather-ms: 4 by default, 0 turns the gather off", () => {
  expect(read([]).kafkaFsyncGatherMs).toBe(4);
  expect(read(["--kafka-fsync-gather-ms", "0"]).kafkaFsyncGatherMs).toBe(0);
  expect(read([], { IOT_KAFKA_FSYNC_GATHER_MS: "10" }).kafkaFsyncGatherMs).toBe(10);
  expect(() => read(["--kafka-fsync-gather-ms", "-1"])).toThrow("--kafka-fsync-gather-ms");
});

test("--consumer-linger-ms: 10 by default, from a flag or IOT_CONSUMER_LINGER_MS", () => {
  expect(read([]).consumerLingerMs).toBe(10);
  expect(read(["--consumer-linger-ms", "14"]).consumerLingerMs).toBe(14);
  expect(read([], { IOT_CONSUMER_LINGER_MS: "0" }).consumerLingerMs).toBe(0);
  expect(() => read(["--consumer-linger-ms", "-1"])).toThrow("--consumer-linger-ms");
});

test("each bad value is a ConfigError naming its flag", () => {
  const bad: Array<[string[], string]> = [
    [["--http-port", "70000"], "--http-port: 70000 is out of range 0..65535"],
    [["--mqtts-port", "-1"], "--mqtts-port: -1 is out of range 0..65535"],
    [["--kafka-partitions", "0"], "--kafka-partitions: 0 is out of range (must be ≥ 1)"],
    [["--http-max-body-bytes", "10"], "--http-max-body-bytes: 10 is out of range (must be ≥ 1024)"],
    [["--session-hours", "0"], "--session-hours: 0 is out of range (must be ≥ 1)"],
    [
      ["--role", "everything"],
      "--role: 'everything' is not one of all, brokers, collector, consumers",
    ],
    [["--tls-cert", "c.pem"], "--tls-cert and --tls-key go together"],
    [
      ["--kafka-max-record-bytes", "4096", "--kafka-max-uncompressed-bytes", "2048"],
      "--kafka-max-uncompressed-bytes must be ≥ --kafka-max-record-bytes",
    ],
  ];
  for (const [argv, msg] of bad) {
    expect(() => read(argv)).toThrow(ConfigError);
    expect(() => read(argv)).toThrow(msg);
  }
});

test("retention: SD-card defaults, 0 keeps for ever, from flags or IOT_RETAIN_*; no negative", () => {
  expect(read([])).toMatchObject({
    retainReadingsDays: 30,
    retainRollupsDays: 730,
    retainImagesDays: 14,
    imagesMaxMb: 2048,
    retainAlertsDays: 180,
    retainPresenceDays: 365,
    retainBinsDays: 365,
    lifecycleIntervalMinutes: 10,
  });
  expect(read(["--retain-readings-days", "0"], { IOT_IMAGES_MAX_MB: "512" })).toMatchObject({
    retainReadingsDays: 0,
    imagesMaxMb: 512,
  });
  expect(() => read(["--retain-bins-days", "-1"])).toThrow(
    "--retain-bins-days: -1 is out of range (must be ≥ 0)",
  );
});
