/**
 * The PostgreSQL schema: the same tables, columns, keys and indexes as the SQLite one
 * (src/store/schema.ts, whose comments say what each is for), in PostgreSQL's types: epoch ms and
 * row ids as bigint (read back as numbers), REAL as double precision, flags as boolean, a rule's
 * condition as jsonb. schema-drift.test.ts fails if the two part ways.
 * Change both, then `npm run db:generate` writes both migrations.
 */
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** epoch milliseconds (and other counters past 2^31), read back as JS numbers */
const ms = (name: string) => bigint(name, { mode: "number" });
/** a row id: bigint, generated unless given (as SQLite's INTEGER PRIMARY KEY AUTOINCREMENT) */
const rowId = () => ms("id").primaryKey().generatedByDefaultAsIdentity();

const source = {
  srcTopic: text("src_topic"),
  srcPartition: integer("src_partition"),
  srcOffset: ms("src_offset"),
  srcEpoch: integer("src_epoch").notNull().default(-1),
  srcTimestamp: ms("src_timestamp").notNull().default(-1),
};
const sourceKey = (t: {
  srcTopic: AnyPgColumn;
  srcPartition: AnyPgColumn;
  srcOffset: AnyPgColumn;
  srcEpoch: AnyPgColumn;
  srcTimestamp: AnyPgColumn;
}) => [t.srcTopic, t.srcPartition, t.srcOffset, t.srcEpoch, t.srcTimestamp] as const;
const now = sql`((extract(epoch from clock_timestamp()) * 1000)::bigint)`;
const msgId = { msgId: text("msg_id") };

export const readings = pgTable(
  "readings",
  {
    id: rowId(),
    deviceId: text("device_id").notNull(),
    ts: ms("ts").notNull(),
    temperature: doublePrecision("temperature"),
    humidity: doublePrecision("humidity"),
    ...source,
    storedAt: ms("stored_at").notNull().default(now),
    ...msgId,
  },
  (t) => [
    index("readings_device_ts").on(t.deviceId, t.ts),
    uniqueIndex("readings_src").on(...sourceKey(t)),
    // msg_id first, as on SQLite (src/store/schema.ts): new rows go in at one end of the index
    uniqueIndex("readings_msg").on(t.msgId, t.deviceId),
  ],
);

export const images = pgTable(
  "images",
  {
    id: rowId(),
    deviceId: text("device_id").notNull(),
    ts: ms("ts").notNull(),
    path: text("path").notNull(),
    bytes: ms("bytes").notNull(),
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

export const bins = pgTable(
  "bins",
  {
    id: rowId(),
    binCount: integer("bin_count").notNull(),
    binLevel: text("bin_level").notNull(),
    full: boolean("full").notNull().default(false),
    mTime: text("m_time").notNull(),
    ts: ms("ts").notNull(),
    ...source,
    ...msgId,
  },
  (t) => [
    index("bins_count_ts").on(t.binCount, t.ts),
    uniqueIndex("bins_src").on(...sourceKey(t)),
    uniqueIndex("bins_msg").on(t.msgId),
  ],
);

export const entranceEvents = pgTable(
  "entrance_events",
  {
    id: rowId(),
    name: text("name").notNull(),
    recordType: text("record_type", { enum: ["in", "out"] }).notNull(),
    ts: ms("ts").notNull(),
    ...source,
  },
  (t) => [
    index("entrance_name_ts").on(t.name, t.ts),
    uniqueIndex("entrance_src").on(...sourceKey(t)),
  ],
);

export const people = pgTable("people", {
  name: text("name").primaryKey(),
  state: text("state", { enum: ["in", "out"] }).notNull(),
  since: ms("since").notNull(),
  day: text("day").notNull(),
  awayMsToday: ms("away_ms_today").notNull().default(0),
  flagged: boolean("flagged").notNull().default(false),
});

export const rooms = pgTable("rooms", {
  roomNo: integer("room_no").primaryKey(),
  temperature: doublePrecision("temperature"),
  humidity: doublePrecision("humidity"),
  updatedAt: ms("updated_at").notNull(),
});

export const roomReadings = pgTable(
  "room_readings",
  {
    id: rowId(),
    roomNo: integer("room_no").notNull(),
    ts: ms("ts").notNull(),
    temperature: doublePrecision("temperature"),
    humidity: doublePrecision("humidity"),
    ...source,
  },
  (t) => [
    index("room_readings_room_ts").on(t.roomNo, t.ts),
    uniqueIndex("room_readings_src").on(...sourceKey(t)),
  ],
);

export const rules = pgTable(
  "rules",
  {
    roomNo: integer("room_no").notNull(),
    scheduleId: integer("schedule_id").notNull(),
    condition: jsonb("condition").notNull(),
    state: text("state", { enum: ["ok", "alert"] })
      .notNull()
      .default("ok"),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomNo, t.scheduleId] })],
);

export const devices = pgTable("devices", {
  id: text("id").primaryKey(),
  name: text("name"),
  kind: text("kind").notNull().default("device"),
  x: doublePrecision("x"),
  y: doublePrecision("y"),
  status: text("status"),
  desiredStatus: text("desired_status"),
  online: boolean("online").notNull().default(false),
  lastSeen: ms("last_seen"),
});

export const devicePositions = pgTable(
  "device_positions",
  {
    id: rowId(),
    deviceId: text("device_id").notNull(),
    ts: ms("ts").notNull(),
    x: doublePrecision("x").notNull(),
    y: doublePrecision("y").notNull(),
  },
  (t) => [index("device_positions_device_ts").on(t.deviceId, t.ts)],
);

export const deviceCommands = pgTable(
  "device_commands",
  {
    id: rowId(),
    deviceId: text("device_id").notNull(),
    ts: ms("ts").notNull(),
    status: text("status").notNull(),
    code: integer("code").notNull(),
    problem: text("problem"),
  },
  (t) => [index("device_commands_device_ts").on(t.deviceId, t.ts)],
);

export const alerts = pgTable(
  "alerts",
  {
    id: rowId(),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    message: text("message").notNull(),
    severity: text("severity", { enum: ["info", "warning", "critical"] })
      .notNull()
      .default("warning"),
    state: text("state", { enum: ["open", "acknowledged", "cleared"] })
      .notNull()
      .default("open"),
    createdAt: ms("created_at").notNull(),
    clearedAt: ms("cleared_at"),
  },
  (t) => [
    index("alerts_state_created").on(t.state, t.createdAt),
    index("alerts_kind_subject").on(t.kind, t.subject, t.state, t.createdAt),
  ],
);

export const tokens = pgTable("tokens", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: ["device", "http", "kafka"] }).notNull(),
  subject: text("subject").notNull(),
  role: text("role", { enum: ["device", "reader", "admin"] })
    .notNull()
    .default("device"),
  hash: text("hash").notNull(),
  createdAt: ms("created_at").notNull(),
});

export const sessions = pgTable("sessions", {
  hash: text("hash").primaryKey(),
  tokenId: text("token_id")
    .notNull()
    .references(() => tokens.id, { onDelete: "cascade" }),
  createdAt: ms("created_at").notNull(),
  expiresAt: ms("expires_at").notNull(),
});

export const rollups = pgTable(
  "rollups",
  {
    kind: text("kind", { enum: ["readings", "rooms"] }).notNull(),
    series: text("series").notNull(),
    metric: text("metric", { enum: ["temperature", "humidity"] }).notNull(),
    hour: ms("hour").notNull(),
    count: ms("value_count").notNull(),
    sum: doublePrecision("value_sum").notNull(),
    min: doublePrecision("value_min").notNull(),
    max: doublePrecision("value_max").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.series, t.metric, t.hour] }),
    index("rollups_hour").on(t.hour),
  ],
);

export const lifecycleState = pgTable("lifecycle_state", {
  key: text("key").primaryKey(),
  value: ms("value").notNull(),
});

export const notifyOutbox = pgTable("notify_outbox", {
  id: rowId(),
  alertId: ms("alert_id").notNull(),
  event: text("event", { enum: ["raised", "cleared"] }).notNull(),
  at: ms("at").notNull(),
});

export const deliveries = pgTable(
  "deliveries",
  {
    id: rowId(),
    alertId: ms("alert_id").notNull(),
    eventId: text("event_id").notNull(),
    event: text("event", { enum: ["raised", "cleared", "test"] }).notNull(),
    alertKey: text("alert_key").notNull(),
    channel: text("channel").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", {
      enum: ["sent", "failed", "dead-lettered", "collapsed", "quiet"],
    }).notNull(),
    reason: text("reason"),
    at: ms("at").notNull(),
  },
  (t) => [
    index("deliveries_alert").on(t.alertId),
    index("deliveries_event").on(t.eventId, t.channel),
    index("deliveries_key").on(t.channel, t.alertKey, t.at),
  ],
);

export const notifyQueue = pgTable(
  "notify_queue",
  {
    id: rowId(),
    eventId: text("event_id").notNull(),
    channel: text("channel").notNull(),
    alertKey: text("alert_key").notNull(),
    event: text("event", { enum: ["raised", "cleared"] }).notNull(),
    payload: text("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAt: ms("next_at").notNull(),
  },
  (t) => [
    uniqueIndex("notify_queue_event").on(t.eventId, t.channel),
    index("notify_queue_due").on(t.nextAt),
  ],
);

export const notifySettings = pgTable("notify_settings", {
  id: integer("id").primaryKey(),
  config: text("config").notNull(),
  updatedAt: ms("updated_at").notNull(),
});
