import { ConfigError, type ConfigValue, type OptionSpec } from "../core/config/index.ts";

export const dataDirOption: OptionSpec = {
  key: "dataDir",
  type: "string",
  default: "./iot-data",
  help: "where the database, Kafka logs and images live",
};

export const roles = ["all", "brokers", "collector", "consumers"] as const;
export type Role = (typeof roles)[number];

export const serveOptions: OptionSpec[] = [
  { key: "host", type: "string", default: "127.0.0.1", help: "address every listener binds to" },
  { key: "httpPort", type: "int", default: 5000, help: "HTTP collector, API and dashboard port" },
  { key: "mqttPort", type: "int", default: 1883, help: "embedded MQTT broker port" },
  { key: "kafkaPort", type: "int", default: 9092, help: "embedded Kafka-API broker port" },
  {
    key: "mqttsPort",
    type: "int",
    default: 8883,
    help: "embedded MQTT broker's TLS port (only with --tls-cert and --tls-key)",
  },
  {
    key: "tlsCert",
    type: "string",
    default: "",
    help: "PEM certificate (chain) file: HTTPS on the HTTP port and MQTTS on --mqtts-port",
  },
  { key: "tlsKey", type: "string", default: "", help: "PEM private key file for --tls-cert" },
  dataDirOption,
  { key: "role", type: "string", default: "all", help: "which parts to run", choices: roles },
  {
    key: "kafkaBrokers",
    type: "list",
    default: [],
    help: "use an existing Kafka cluster (host:port,…) instead of the embedded broker",
  },
  {
    key: "mqttUrl",
    type: "string",
    default: "",
    help: "use an existing MQTT broker (mqtt://host:1883) instead of the embedded one",
  },
  {
    key: "bridgeRules",
    type: "string",
    default: "",
    help: "JSON file of MQTT → Kafka mapping rules (default: the built-in iot/+/… and seed topics)",
  },
  {
    key: "kafkaAdvertised",
    type: "string",
    default: "",
    help: "host:port the Kafka broker tells clients to connect to [default: host:kafka-port]",
  },
  { key: "kafkaPartitions", type: "int", default: 2, help: "partitions of auto-created topics" },
  {
    key: "kafkaFsync",
    type: "string",
    default: "always",
    help: "'always' (fsync before acking; no acknowledged loss on power cut) or an interval in ms",
  },
  { key: "kafkaRetentionHours", type: "int", default: 168, help: "delete log segments older than" },
  {
    key: "kafkaRetentionMb",
    type: "int",
    default: -1,
    help: "cap each partition's log at this size (-1: no cap)",
  },
  {
    key: "kafkaMaxMessageBytes",
    type: "int",
    default: 8 * 1024 * 1024,
    help: "largest record batch a producer may send",
  },
  {
    key: "kafkaMaxUncompressedBytes",
    type: "int",
    default: 64 * 1024 * 1024,
    help: "largest a gzip batch's records may decompress to: the broker refuses larger ones, the consumers decode no larger one",
  },
  {
    key: "kafkaMaxRecordBytes",
    type: "int",
    default: 8 * 1024 * 1024,
    help: "largest record (key, value, headers; decompressed) the consumers hand to a sink; a larger one is dead-lettered in reduced form (headers, size, a prefix)",
  },
  {
    key: "consumerMaxRestarts",
    type: "int",
    default: 3,
    help: "a consumer that starts over this many times in 5 minutes without progress makes /healthz degraded",
  },
  {
    key: "consumerMaxLag",
    type: "int",
    default: 100000,
    help: "a consumer this many records behind makes /healthz degraded (0: no lag check)",
  },
  {
    key: "diskMinFreeMb",
    type: "int",
    default: 64,
    help: "alert when the data dir's disk has less free space than this (0: only when writes fail)",
  },
  {
    key: "httpMaxBodyBytes",
    type: "int",
    default: 16 * 1024 * 1024,
    help: "largest HTTP request body; larger ones get 413 before they are buffered",
  },
  {
    key: "mqttMaxPacketBytes",
    type: "int",
    default: 16 * 1024 * 1024,
    help: "largest MQTT packet; a client announcing a larger one is disconnected at once",
  },
  {
    key: "mqttRetainedMaxBytes",
    type: "int",
    default: 64 * 1024 * 1024,
    help: "memory all retained MQTT messages together may take; over it the oldest are evicted",
  },
  {
    key: "mqttRetainedMaxBytesPerDevice",
    type: "int",
    default: 1024 * 1024,
    help: "memory the retained messages under one prefix (iot/<id>) may take; oldest evicted",
  },
  {
    key: "mqttSessionMaxQueued",
    type: "int",
    default: 1000,
    help: "QoS 1/2 messages kept for one offline persistent MQTT session; oldest unsent dropped",
  },
  {
    key: "videoMaxSources",
    type: "int",
    default: 32,
    help: "live video sources kept in memory; a new one evicts the one idle longest",
  },
  {
    key: "videoMaxFrameBytes",
    type: "int",
    default: 4 * 1024 * 1024,
    help: "largest live video frame kept; larger ones are dropped (and counted)",
  },
  {
    key: "videoIdleSeconds",
    type: "int",
    default: 60,
    help: "a video source without a frame for this long is forgotten",
  },
  {
    key: "kafkaMaxConnections",
    type: "int",
    default: 1024,
    help: "open Kafka client connections at most; more are closed on accept (logged, counted)",
  },
  {
    key: "mqttMaxConnections",
    type: "int",
    default: 1024,
    help: "open MQTT connections at most (TCP and TLS ports together); more are closed on accept",
  },
  {
    key: "httpMaxRequests",
    type: "int",
    default: 512,
    help: "HTTP requests in progress at most (streams included); more get 503, except /healthz",
  },
  {
    key: "maxPendingPerAddress",
    type: "int",
    default: 64,
    help: "Kafka or MQTT connections from one address that have not logged in (or sent a first request) yet",
  },
  {
    key: "handshakeTimeoutSeconds",
    type: "int",
    default: 10,
    help: "close Kafka and MQTT connections that have not logged in (or sent a first request) by then",
  },
  {
    key: "idleTimeoutSeconds",
    type: "int",
    default: 600,
    help: "close Kafka and MQTT connections with no byte read or written for this long",
  },
  {
    key: "httpIdleTimeoutSeconds",
    type: "int",
    default: 60,
    help: "close HTTP connections silent this long, e.g. a stalled body (event streams exempt; 1-255)",
  },
  {
    key: "kafkaFrameBudgetMb",
    type: "int",
    default: 128,
    help: "memory for large Kafka requests being received, all connections; beyond, they wait",
  },
  {
    key: "presenceMinAwaySeconds",
    type: "int",
    default: 1800,
    help: "a person is away too long past this much time away today (and 3× the group's median)",
  },
  {
    key: "allowedHosts",
    type: "list",
    default: [],
    help: "more Host names the HTTP server answers to (localhost, IP literals and the bound name always; '.example.com' for subdomains, '*' for any)",
  },
  {
    key: "sessionHours",
    type: "int",
    default: 12,
    help: "a dashboard sign-in unused this long ends (sliding; 7 days at most)",
  },
  {
    key: "insecure",
    type: "bool",
    default: false,
    help: "allow unauthenticated clients on a non-loopback address",
  },
  {
    key: "printConfig",
    type: "bool",
    default: false,
    help: "print the effective configuration and exit",
  },
];

export interface ServeOptions {
  host: string;
  httpPort: number;
  mqttPort: number;
  kafkaPort: number;
  mqttsPort: number;
  tlsCert: string;
  tlsKey: string;
  dataDir: string;
  role: Role;
  kafkaBrokers: string[];
  mqttUrl: string;
  bridgeRules: string;
  kafkaAdvertised: string;
  kafkaPartitions: number;
  kafkaFsync: "always" | number;
  kafkaRetentionHours: number;
  kafkaRetentionMb: number;
  kafkaMaxMessageBytes: number;
  kafkaMaxUncompressedBytes: number;
  kafkaMaxRecordBytes: number;
  consumerMaxRestarts: number;
  consumerMaxLag: number;
  diskMinFreeMb: number;
  httpMaxBodyBytes: number;
  mqttMaxPacketBytes: number;
  mqttRetainedMaxBytes: number;
  mqttRetainedMaxBytesPerDevice: number;
  mqttSessionMaxQueued: number;
  videoMaxSources: number;
  videoMaxFrameBytes: number;
  videoIdleSeconds: number;
  kafkaMaxConnections: number;
  mqttMaxConnections: number;
  httpMaxRequests: number;
  maxPendingPerAddress: number;
  handshakeTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  httpIdleTimeoutSeconds: number;
  kafkaFrameBudgetMb: number;
  presenceMinAwaySeconds: number;
  allowedHosts: string[];
  sessionHours: number;
  insecure: boolean;
}

/** Typed view of the resolved values, with cross-field checks. */
export function toServeOptions(v: Record<string, ConfigValue>): ServeOptions {
  const fsync = String(v.kafkaFsync);
  if (fsync !== "always" && !/^\d+$/.test(fsync)) {
    throw new ConfigError(`--kafka-fsync: expected 'always' or milliseconds, got '${fsync}'`);
  }
  for (const key of ["httpPort", "mqttPort", "kafkaPort", "mqttsPort"] as const) {
    const port = v[key] as number;
    if (port < 0 || port > 65535) throw new ConfigError(`${key}: ${port} is not a port`);
  }
  if ((v.kafkaPartitions as number) < 1) throw new ConfigError("kafkaPartitions must be ≥ 1");
  for (const key of ["httpMaxBodyBytes", "mqttMaxPacketBytes"] as const) {
    if ((v[key] as number) < 1024) throw new ConfigError(`${key} must be ≥ 1024`);
  }
  if ((v.kafkaMaxRecordBytes as number) < 1024)
    throw new ConfigError("kafkaMaxRecordBytes must be ≥ 1024");
  if ((v.kafkaMaxUncompressedBytes as number) < (v.kafkaMaxRecordBytes as number))
    throw new ConfigError("kafkaMaxUncompressedBytes must be ≥ kafkaMaxRecordBytes");
  if ((v.consumerMaxRestarts as number) < 1)
    throw new ConfigError("consumerMaxRestarts must be ≥ 1");
  if ((v.consumerMaxLag as number) < 0) throw new ConfigError("consumerMaxLag must be ≥ 0");
  for (const key of [
    "mqttRetainedMaxBytes",
    "mqttRetainedMaxBytesPerDevice",
    "mqttSessionMaxQueued",
    "videoMaxSources",
    "videoMaxFrameBytes",
    "videoIdleSeconds",
  ] as const) {
    if ((v[key] as number) < 1) throw new ConfigError(`${key} must be ≥ 1`);
  }
  for (const key of [
    "kafkaMaxConnections",
    "mqttMaxConnections",
    "httpMaxRequests",
    "maxPendingPerAddress",
    "handshakeTimeoutSeconds",
    "idleTimeoutSeconds",
    "kafkaFrameBudgetMb",
  ] as const) {
    if ((v[key] as number) < 1) throw new ConfigError(`${key} must be ≥ 1`);
  }
  const httpIdle = v.httpIdleTimeoutSeconds as number;
  if (httpIdle < 1 || httpIdle > 255)
    throw new ConfigError("httpIdleTimeoutSeconds must be between 1 and 255 (Bun's limit)");
  if ((v.presenceMinAwaySeconds as number) < 1)
    throw new ConfigError("presenceMinAwaySeconds must be ≥ 1");
  if ((v.sessionHours as number) < 1) throw new ConfigError("sessionHours must be ≥ 1");
  if (!v.tlsCert !== !v.tlsKey) throw new ConfigError("--tls-cert and --tls-key go together");
  return {
    ...(v as unknown as ServeOptions),
    kafkaFsync: fsync === "always" ? "always" : Number(fsync),
  };
}
