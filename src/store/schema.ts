/**
 * The SQLite schema. Every row that comes from Kafka carries its source (topic, partition,
 * offset, leader epoch, timestamp) under a unique index, so a redelivered record is never stored
 * twice — while a new record given a used offset (the topic deleted and created again, a log cut
 * back) is not taken for one.
 * Change it here, then `npm run db:generate` (drizzle-kit) writes the migration.
 */
import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * Columns naming the Kafka record a row was made from: the sinks' idempotency key. An offset
 * alone names a record only within one incarnation of a log. The batch's leader epoch (which
 * our broker never reuses: see src/kafka/broker/log/log-manager.ts) tells apart the records a
 * truncation or a re-created topic put at the same offsets; the record's timestamp does the same
 * on a Kafka cluster, where a re-created topic starts at epoch 0 again. A redelivery is the same
 * stored batch: same epoch, same timestamp. -1: unknown (rows stored before these columns).
 */
const source = {
  srcTopic: text("src_topic"),
  srcPartition: integer("src_partition"),
  srcOffset: integer("src_offset"),
  srcEpoch: integer("src_epoch").notNull().default(-1),
  srcTimestamp: integer("src_timestamp").notNull().default(-1),
};
const sourceKey = (t: {
  srcTopic: AnySQLiteColumn;
  srcPartition: AnySQLiteColumn;
  srcOffset: AnySQLiteColumn;
  srcEpoch: AnySQLiteColumn;
  srcTimestamp: AnySQLiteColumn;
}) => [t.srcTopic, t.srcPartition, t.srcOffset, t.srcEpoch, t.srcTimestamp] as const;
const now = sql`(unixepoch('subsec') * 1000)`;
/**
 * The message's own identity (the `msg_id` Kafka header or JSON field), unique per device: the
 * same message sent to Kafka twice, at two offsets, is still stored once. Null when unknown.
 */
const msgId = { msgId: text("msg_id") };

export const readings = sqliteTable(
  "readings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deviceId: text("device_id").notNull(),
    ts: integer("ts").notNull(),
    temperature: real("temperature"),
    humidity: real("humidity"),
    ...source,
    storedAt: integer("stored_at").notNull().default(now),
    ...msgId,
  },
  (t) => [
    index("readings_device_ts").on(t.deviceId, t.ts),
    // issue 17: only rows without a msg_id need their source key. A row with one is stored once
    // by readings_msg, a redelivered record included (same key, same msg_id) — and every
    // bridged reading has one — so its source key would cost a b-tree insert per row and ~2
    // pages per commit for nothing (the pipeline's hottest commit).
    uniqueIndex("readings_src")
      .on(...sourceKey(t))
      .where(sql`${t.msgId} is null`),
    // issue 17: msg_id first. Ids the bridge makes sort in the order made (src/contracts/
    // msg-id.ts), so every device's new rows go in at one end of this index — one leaf per
    // commit — rather than each into the middle of its own device's range, which rewrote a leaf
    // (and split it often, rewriting its neighbours) per device in every commit. Same rule:
    // one row per (device, msg_id).
    uniqueIndex("readings_msg").on(t.msgId, t.deviceId),
  ],
);

export const images = sqliteTable(
  "images",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deviceId: text("device_id").notNull(),
    ts: integer("ts").notNull(),
    path: text("path").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    ...source,
    ...msgId,
  },
  (t) => [
    index("images_device_ts").on(t.deviceId, t.ts),
    uniqueIndex("images_src").on(...sourceKey(t)),
    uniqueIndex("images_msg").on(t.deviceId, t.msgId),
  ],
);

/** The bin-level seed: "<level> <bin_count> <YYYY-mm-dd> <HH:MM:SS>". */
export const bins = sqliteTable(
  "bins",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    binCount: integer("bin_count").notNull(),
    binLevel: text("bin_level").notNull(),
    full: integer("full", { mode: "boolean" }).notNull().default(false),
    mTime: text("m_time").notNull(),
    ts: integer("ts").notNull(),
    ...source,
    ...msgId,
  },
  (t) => [
    index("bins_count_ts").on(t.binCount, t.ts),
    uniqueIndex("bins_src").on(...sourceKey(t)),
    uniqueIndex("bins_msg").on(t.msgId), // bins have no device id: the bridge's ids are global
  ],
);

export const entranceEvents = sqliteTable(
  "entrance_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    recordType: text("record_type", { enum: ["in", "out"] }).notNull(),
    ts: integer("ts").notNull(),
    ...source,
  },
  (t) => [
    index("entrance_name_ts").on(t.name, t.ts),
    uniqueIndex("entrance_src").on(...sourceKey(t)),
  ],
);

export const people = sqliteTable("people", {
  name: text("name").primaryKey(),
  state: text("state", { enum: ["in", "out"] }).notNull(),
  since: integer("since").notNull(),
  day: text("day").notNull(),
  awayMsToday: integer("away_ms_today").notNull().default(0),
  flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
});

export const rooms = sqliteTable("rooms", {
  roomNo: integer("room_no").primaryKey(),
  temperature: real("temperature"),
  humidity: real("humidity"),
  updatedAt: integer("updated_at").notNull(),
});

export const roomReadings = sqliteTable(
  "room_readings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roomNo: integer("room_no").notNull(),
    ts: integer("ts").notNull(),
    temperature: real("temperature"),
    humidity: real("humidity"),
    ...source,
  },
  (t) => [
    index("room_readings_room_ts").on(t.roomNo, t.ts),
    uniqueIndex("room_readings_src").on(...sourceKey(t)),
  ],
);

/** Room rules from `POST /office_rule`; `condition` is the seed's JSON object. */
export const rules = sqliteTable(
  "rules",
  {
    roomNo: integer("room_no").notNull(),
    scheduleId: integer("schedule_id").notNull(),
    condition: text("condition", { mode: "json" }).notNull(),
    state: text("state", { enum: ["ok", "alert"] })
      .notNull()
      .default("ok"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomNo, t.scheduleId] })],
);

export const devices = sqliteTable("devices", {
  id: text("id").primaryKey(),
  /** issue 14: the operator's display name (rename); the id stays the wire identity */
  name: text("name"),
  kind: text("kind").notNull().default("device"),
  x: real("x"),
  y: real("y"),
  status: text("status"),
  desiredStatus: text("desired_status"),
  online: integer("online", { mode: "boolean" }).notNull().default(false),
  lastSeen: integer("last_seen"),
});

/**
 * issue 14: a coffee device's last few positions (its trail on the map); the devices sink keeps
 * at most a handful per device (src/store/device-positions.ts prunes on insert).
 */
export const devicePositions = sqliteTable(
  "device_positions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deviceId: text("device_id").notNull(),
    ts: integer("ts").notNull(),
    x: real("x").notNull(),
    y: real("y").notNull(),
  },
  (t) => [index("device_positions_device_ts").on(t.deviceId, t.ts)],
);

/** issue 14: the status commands sent to a device (`POST /status/<id>` answered), its history. */
export const deviceCommands = sqliteTable(
  "device_commands",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deviceId: text("device_id").notNull(),
    ts: integer("ts").notNull(),
    status: text("status").notNull(),
    /** 200: sent to the device's broker and Kafka; 503: one of them refused (the reason) */
    code: integer("code").notNull(),
    problem: text("problem"),
  },
  (t) => [index("device_commands_device_ts").on(t.deviceId, t.ts)],
);

export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    message: text("message").notNull(),
    severity: text("severity", { enum: ["info", "warning", "critical"] })
      .notNull()
      .default("warning"),
    state: text("state", { enum: ["open", "acknowledged", "cleared"] })
      .notNull()
      .default("open"),
    createdAt: integer("created_at").notNull(),
    clearedAt: integer("cleared_at"),
  },
  (t) => [
    index("alerts_state_created").on(t.state, t.createdAt),
    // issue 14: the one active alert per kind+subject (every raise/clear looks it up), and the
    // Alerts page's groups (kind+subject+state) and a group's history
    index("alerts_kind_subject").on(t.kind, t.subject, t.state, t.createdAt),
  ],
);

/** Access tokens (`iot token create`): only a hash is stored. */
export const tokens = sqliteTable("tokens", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: ["device", "http", "kafka"] }).notNull(),
  subject: text("subject").notNull(),
  /**
   * What the token may do on MQTT and Kafka (src/auth/roles.ts): device = its own data only,
   * reader = read everything, admin = everything. Tokens made before roles were devices.
   */
  role: text("role", { enum: ["device", "reader", "admin"] })
    .notNull()
    .default("device"),
  hash: text("hash").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * Dashboard sign-in sessions (`POST /login`): the cookie holds a random id, only its hash is
 * stored. Deleting (revoking) the token ends its sessions.
 */
export const sessions = sqliteTable("sessions", {
  hash: text("hash").primaryKey(),
  tokenId: text("token_id")
    .notNull()
    .references(() => tokens.id, { onDelete: "cascade" }),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * Data lifecycle (src/store/rollups.ts, src/lifecycle/): hourly roll-ups of readings and room
 * readings, kept after their raw rows are pruned. One row per series (device id or room number),
 * metric and hour; mean = sum / count. Values only: a metric with no value in the hour has no row.
 */
export const rollups = sqliteTable(
  "rollups",
  {
    kind: text("kind", { enum: ["readings", "rooms"] }).notNull(),
    series: text("series").notNull(),
    metric: text("metric", { enum: ["temperature", "humidity"] }).notNull(),
    /** epoch ms of the hour's start */
    hour: integer("hour").notNull(),
    count: integer("value_count").notNull(),
    sum: real("value_sum").notNull(),
    min: real("value_min").notNull(),
    max: real("value_max").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.series, t.metric, t.hour] }),
    index("rollups_hour").on(t.hour),
  ],
);

/**
 * The lifecycle's progress, one integer per key: `rollup:<kind>` the last raw row id rolled up,
 * `pruned:<kind>` the time up to which (inclusive) raw rows may have been pruned.
 */
export const lifecycleState = sqliteTable("lifecycle_state", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
});

/**
 * Notifications (src/notify/). An alert raised or cleared writes its event here in the same
 * transaction as the alert row; the relay moves it onto Kafka topic `iot-alerts` and deletes it.
 */
export const notifyOutbox = sqliteTable("notify_outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  alertId: integer("alert_id").notNull(),
  event: text("event", { enum: ["raised", "cleared"] }).notNull(),
  at: integer("at").notNull(),
});

/** Each attempt to tell a channel of an alert event, and how it went. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    alertId: integer("alert_id").notNull(),
    /** the outbox id of the event (`test-…` for the settings page's test), unique per event */
    eventId: text("event_id").notNull(),
    event: text("event", { enum: ["raised", "cleared", "test"] }).notNull(),
    /** `<kind> <subject>`: repeats of one alert collapse on it */
    alertKey: text("alert_key").notNull(),
    channel: text("channel").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", {
      enum: ["sent", "failed", "dead-lettered", "collapsed", "quiet"],
    }).notNull(),
    reason: text("reason"),
    at: integer("at").notNull(),
  },
  (t) => [
    index("deliveries_alert").on(t.alertId),
    index("deliveries_event").on(t.eventId, t.channel),
    index("deliveries_key").on(t.channel, t.alertKey, t.at),
  ],
);

/**
 * Deliveries waiting for their next attempt (src/notify/delivery/worker.ts): the notifier group
 * writes them before it commits the event's offset, the worker deletes each once it is sent or
 * dead-lettered. One per event and channel.
 */
export const notifyQueue = sqliteTable(
  "notify_queue",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: text("event_id").notNull(),
    channel: text("channel").notNull(),
    alertKey: text("alert_key").notNull(),
    event: text("event", { enum: ["raised", "cleared"] }).notNull(),
    /** the alert event as it came from `iot-alerts` (JSON) */
    payload: text("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAt: integer("next_at").notNull(),
  },
  (t) => [
    uniqueIndex("notify_queue_event").on(t.eventId, t.channel),
    index("notify_queue_due").on(t.nextAt),
  ],
);

/** Notification settings saved from the dashboard (one row, id 1): they replace the file's. */
export const notifySettings = sqliteTable("notify_settings", {
  id: integer("id").primaryKey(),
  config: text("config").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
