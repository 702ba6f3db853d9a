import {
  ConfigError,
  defineOptions,
  idlePageOutOption,
  printConfigOption,
  type IntDecl,
  type StringDecl,
} from "../core/config/index.ts";
import {
  emptyNotifyConfig,
  parseNotifyConfig,
  type NotifyConfig,
} from "../notify/config/schema.ts";
import { maskNotifyConfig } from "../notify/config/secrets.ts";
import { jitModes } from "./jit/jit.ts";

/** `--notify` / `[notify]`: checked at start, so a typo is refused before anything listens. */
function readNotifyOption(raw: string, flag: string): NotifyConfig {
  if (raw === "") return emptyNotifyConfig;
  try {
    return parseNotifyConfig(JSON.parse(raw));
  } catch (e) {
    throw new ConfigError(`${flag}: ${(e as Error).message}`);
  }
}

/** --print-config shows the table with its secrets masked (or the value unchanged if invalid). */
function maskNotifyOption(raw: string): string {
  try {
    return JSON.stringify(maskNotifyConfig(parseNotifyConfig(JSON.parse(raw))));
  } catch {
    return "(invalid)";
  }
}

export const dataDirOption = {
  type: "string",
  default: "./iot-data",
  help: "where the database, Kafka logs and images live",
} as const satisfies StringDecl;

/** `--database-url`: where the store is; empty means SQLite in the data dir. */
export const databaseUrlOption = {
  type: "string",
  default: "",
  help: "use PostgreSQL as the store (postgres://user:password@host:5432/db?sslmode=require) instead of SQLite in the data dir",
  parse: (raw: string, flag: string): string => {
    if (raw === "") return raw;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`${flag}: not a URL`);
    }
    if (!/^postgres(ql)?:$/.test(url.protocol))
      throw new ConfigError(`${flag}: expected postgres://…, got ${url.protocol}//…`);
    return raw;
  },
  mask: (raw: string): string => {
    try {
      const url = new URL(raw);
      if (url.password) url.password = "***";
      return url.toString();
    } catch {
      return "(invalid)";
    }
  },
} as const satisfies StringDecl;

/** what every listener port option shares */
const port = { type: "int", min: 0, max: 65535 } as const satisfies Partial<IntDecl>;

export const roles = ["all", "brokers", "collector", "consumers"] as const;
export type Role = (typeof roles)[number];
export const changeFeeds = ["auto", "on", "off"] as const;

export const serveOptions = defineOptions(
  {
    host: { type: "string", default: "127.0.0.1", help: "address every listener binds to" },
    httpPort: { ...port, default: 5000, help: "HTTP collector, API and dashboard port" },
    mqttPort: { ...port, default: 1883, help: "embedded MQTT broker port" },
    kafkaPort: { ...port, default: 9092, help: "embedded Kafka-API broker port" },
    mqttsPort: {
      ...port,
      default: 8883,
      help: "embedded MQTT broker's TLS port (only with --tls-cert and --tls-key)",
    },
    tlsCert: {
      type: "string",
      default: "",
      help: "PEM certificate (chain) file: HTTPS on the HTTP port and MQTTS on --mqtts-port",
    },
    tlsKey: { type: "string", default: "", help: "PEM private key file for --tls-cert" },
    dataDir: dataDirOption,
    databaseUrl: {
      ...databaseUrlOption,
      help: "PostgreSQL as the shared store of a fleet of processes (postgres://user:password@host:5432/db?sslmode=require): everything the product stores goes there; the data dir keeps the Kafka log, spool and image files",
    },
    databasePool: {
      type: "int",
      min: 1,
      max: 1000,
      default: 10,
      help: "connections in the PostgreSQL pool (with --database-url)",
    },
    role: { type: "string", default: "all", help: "which parts to run", choices: roles },
    kafkaBrokers: {
      type: "list",
      default: [],
      help: "use an existing Kafka cluster (host:port,…) instead of the embedded broker",
    },
    mqttUrl: {
      type: "string",
      default: "",
      help: "use an existing MQTT broker (mqtt://host:1883) instead of the embedded one",
    },
    changeFeed: {
      type: "string",
      default: "auto",
      choices: changeFeeds,
      help: "live dashboard updates between iot processes through Kafka topic iot-changes (auto: on unless --role all with the embedded broker)",
    },
    bridgeRules: {
      type: "string",
      default: "",
      help: "JSON file of MQTT → Kafka mapping rules (default: the built-in iot/+/… and seed topics)",
    },
    kafkaAdvertised: {
      type: "string",
      default: "",
      help: "host:port the Kafka broker tells clients to connect to [default: host:kafka-port]",
    },
    kafkaPartitions: { type: "int", min: 1, default: 2, help: "partitions of auto-created topics" },
    kafkaInProcess: {
      type: "bool",
      default: true,
      help: "with the embedded broker, the bridge, collector and consumers call it directly (false: kafkajs over loopback TCP)",
    },
    consumerLingerMs: {
      type: "int",
      default: 10,
      min: 0,
      max: 1000,
      help: "with --kafka-in-process: the least time between the starts of two rounds of a consumer, each one store transaction and one offset commit for what gathered meanwhile (longer: fewer, larger commits — SQLite writes ~8 pages and takes ~6 locks per commit — for up to that much more publish → stored latency)",
    },
    kafkaFsync: {
      type: "string",
      default: "always",
      help: "'always' (fsync before acking; no acknowledged loss on power cut) or an interval in ms",
      parse: (raw, flag) => {
        if (raw === "always") return raw;
        if (!/^\d+$/.test(raw))
          throw new ConfigError(`${flag}: expected 'always' or milliseconds, got '${raw}'`);
        return Number(raw);
      },
    },
    kafkaFsyncGatherMs: {
      type: "int",
      default: 4,
      min: 0,
      max: 1000,
      help: "with --kafka-fsync always: the in-process producers' next fsync on a partition begins no sooner than this long after the previous one, while their produces overlap and under 4 KiB wait (fewer fsyncs at moderate rates; acks wait up to that much more); 0: at once",
    },
    mqttFsyncGatherMs: {
      type: "int",
      default: 20,
      min: 0,
      max: 1000,
      help: "the same gather for the MQTT bridge's records, in place of --kafka-fsync-gather-ms: a PUBACK waits up to this much more, for ~5x fewer fsyncs than 4 ms at 1,000 QoS 1 readings/s (publish → stored does not wait for the fsync); 0: at once",
    },
    kafkaRetentionHours: { type: "int", default: 168, help: "delete log segments older than" },
    kafkaRetentionMb: {
      type: "int",
      default: -1,
      help: "cap each partition's log at this size (-1: no cap)",
    },
    kafkaMaxMessageBytes: {
      type: "int",
      default: 8 * 1024 * 1024,
      help: "largest record batch a producer may send",
    },
    kafkaMaxUncompressedBytes: {
      type: "int",
      default: 64 * 1024 * 1024,
      help: "largest a gzip batch's records may decompress to: the broker refuses larger ones, the consumers decode no larger one",
    },
    kafkaMaxRecordBytes: {
      type: "int",
      min: 1024,
      default: 8 * 1024 * 1024,
      help: "largest record (key, value, headers; decompressed) the consumers hand to a sink; a larger one is dead-lettered in reduced form (headers, size, a prefix)",
    },
    consumerMaxRestarts: {
      type: "int",
      min: 1,
      default: 3,
      help: "a consumer that starts over this many times in 5 minutes without progress makes /healthz degraded",
    },
    consumerMaxLag: {
      type: "int",
      min: 0,
      default: 100000,
      help: "a consumer this many records behind makes /healthz degraded (0: no lag check)",
    },
    diskMinFreeMb: {
      type: "int",
      default: 64,
      help: "alert when the data dir's disk has less free space than this (0: only when writes fail)",
    },
    httpMaxBodyBytes: {
      type: "int",
      min: 1024,
      default: 16 * 1024 * 1024,
      help: "largest HTTP request body; larger ones get 413 before they are buffered",
    },
    mqttMaxPacketBytes: {
      type: "int",
      min: 1024,
      default: 16 * 1024 * 1024,
      help: "largest MQTT packet; a client announcing a larger one is disconnected at once",
    },
    mqttRetainedMaxBytes: {
      type: "int",
      min: 1,
      default: 64 * 1024 * 1024,
      help: "memory all retained MQTT messages together may take; over it the oldest are evicted",
    },
    mqttRetainedMaxBytesPerDevice: {
      type: "int",
      min: 1,
      default: 1024 * 1024,
      help: "memory the retained messages under one prefix (iot/<id>) may take; oldest evicted",
    },
    mqttSessionMaxQueued: {
      type: "int",
      min: 1,
      default: 1000,
      help: "QoS 1/2 messages kept for one offline persistent MQTT session; oldest unsent dropped",
    },
    videoMaxSources: {
      type: "int",
      min: 1,
      default: 32,
      help: "live video sources kept in memory; a new one evicts the one idle longest",
    },
    videoMaxFrameBytes: {
      type: "int",
      min: 1,
      default: 4 * 1024 * 1024,
      help: "largest live video frame kept; larger ones are dropped (and counted)",
    },
    videoIdleSeconds: {
      type: "int",
      min: 1,
      default: 60,
      help: "a video source without a frame for this long is forgotten",
    },
    kafkaMaxPartitions: {
      type: "int",
      min: 1,
      default: 2000,
      help: "partitions across all Kafka topics at most (each holds 2 open files); a topic past it is refused (POLICY_VIOLATION)",
    },
    kafkaMaxConnections: {
      type: "int",
      min: 1,
      default: 1024,
      help: "open Kafka client connections at most; more are closed on accept (logged, counted)",
    },
    mqttMaxConnections: {
      type: "int",
      min: 1,
      default: 1024,
      help: "open MQTT connections at most (TCP and TLS ports together); more are closed on accept",
    },
    httpMaxRequests: {
      type: "int",
      min: 1,
      default: 512,
      help: "HTTP requests in progress at most (streams included); more get 503, except /healthz",
    },
    maxPendingPerAddress: {
      type: "int",
      min: 1,
      default: 64,
      help: "Kafka or MQTT connections from one address that have not logged in (or sent a first request) yet",
    },
    handshakeTimeoutSeconds: {
      type: "int",
      min: 1,
      default: 10,
      help: "close Kafka and MQTT connections that have not logged in (or sent a first request) by then",
    },
    idleTimeoutSeconds: {
      type: "int",
      min: 1,
      default: 600,
      help: "close Kafka and MQTT connections with no byte read or written for this long",
    },
    httpIdleTimeoutSeconds: {
      type: "int",
      min: 1,
      max: 255, // Bun's limit
      default: 60,
      help: "close HTTP connections silent this long, e.g. a stalled body (event streams exempt)",
    },
    kafkaFrameBudgetMb: {
      type: "int",
      min: 1,
      default: 128,
      help: "memory for large Kafka requests being received, all connections; beyond, they wait",
    },
    presenceMinAwaySeconds: {
      type: "int",
      min: 1,
      default: 1800,
      help: "a person is away too long past this much time away today (and 3× the group's median)",
    },
    // data lifecycle (src/lifecycle/): how long each kind is kept; 0 keeps it forever
    retainReadingsDays: {
      type: "int",
      min: 0,
      default: 30,
      help: "keep raw readings and room readings this long; older hours live on as hourly roll-ups (0: forever)",
    },
    retainRollupsDays: {
      type: "int",
      min: 0,
      default: 730,
      help: "keep the hourly min/mean/max roll-ups of readings this long (0: forever)",
    },
    retainImagesDays: {
      type: "int",
      min: 0,
      default: 14,
      help: "keep camera images (row and JPEG file) this long (0: forever)",
    },
    imagesMaxMb: {
      type: "int",
      min: 0,
      default: 2048,
      help: "cap the image files' total size; over it the oldest images go first (0: no cap)",
    },
    retainAlertsDays: {
      type: "int",
      min: 0,
      default: 180,
      help: "keep cleared alerts this long after they cleared; open and acknowledged ones stay (0: forever)",
    },
    retainPresenceDays: {
      type: "int",
      min: 0,
      default: 365,
      help: "keep entrance (presence) events this long (0: forever)",
    },
    retainBinsDays: {
      type: "int",
      min: 0,
      default: 365,
      help: "keep bin-level rows this long (0: forever)",
    },
    lifecycleIntervalMinutes: {
      type: "int",
      min: 1,
      default: 10,
      help: "how often roll-ups, pruning and the disk-use measure run, in the background",
    },
    idlePageOut: idlePageOutOption,
    allowedHosts: {
      type: "list",
      default: [],
      help: "more Host names the HTTP server answers to (localhost, IP literals and the bound name always; '.example.com' for subdomains, '*' for any)",
    },
    sessionHours: {
      type: "int",
      min: 1,
      default: 12,
      help: "a dashboard sign-in unused this long ends (sliding; 7 days at most)",
    },
    insecure: {
      type: "bool",
      default: false,
      help: "allow unauthenticated clients on a non-loopback address",
    },
    notify: {
      type: "string",
      default: "",
      help: "alert notifications: the config file's [notify] table (README 'Notifications'), or the same as JSON",
      parse: readNotifyOption,
      mask: maskNotifyOption,
    },
    jit: {
      type: "string",
      default: "full",
      choices: jitModes,
      help: "JavaScriptCore's tiers: 'full', every tier; 'steady' leaves out the FTL, the top tier, whose compiles go on for a minute or two under a steady load: serve starts itself again once (same pid) with BUN_JSC_useFTLJIT=0, ~100 ms more CPU at start",
    },
    printConfig: printConfigOption,
  },
  // the checks that involve two options; each option's own are in its declaration
  (v) => {
    if (v.kafkaMaxUncompressedBytes < v.kafkaMaxRecordBytes)
      throw new ConfigError("--kafka-max-uncompressed-bytes must be ≥ --kafka-max-record-bytes");
    if (!v.tlsCert !== !v.tlsKey) throw new ConfigError("--tls-cert and --tls-key go together");
    return v;
  },
);

export type ServeOptions = ReturnType<typeof serveOptions.read>;
