/**
 * What the JSON API answers, one schema and one mapper per list: snake_case names, times as
 * ISO 8601 with offset plus `<name>_ms` epoch ms (see time.ts), numbers as numbers. The schemas
 * are the documented responses (/openapi.json) and what the tests check real answers against.
 */
import { z } from "zod";
import { timePair } from "./time.ts";

type Row = Record<string, unknown>;

const iso = z.string().describe("ISO 8601 with the server's UTC offset");
const ms = z.number().int().describe("the same instant in epoch milliseconds");
/** `name` (ISO) and `name_ms` (epoch ms) */
const time = <N extends string>(name: N, what: string, nullable = false) =>
  ({
    [name]: nullable ? iso.nullable().describe(what) : iso.describe(what),
    [`${name}_ms`]: nullable ? ms.nullable() : ms,
  }) as unknown as Record<N | `${N}_ms`, z.ZodType>;
const num = z.number().nullable();

export const readingRow = z.strictObject({
  id: z.number().int(),
  device_id: z.string(),
  ...time("ts", "when the reading was taken"),
  temperature: num.describe("°C"),
  humidity: num.describe("relative humidity, %"),
  msg_id: z.string().nullable().describe("the message's own id, unique per device"),
});
export const reading = (r: Row) => ({
  id: r.id,
  device_id: r.device_id,
  ...timePair("ts", r.ts as number),
  temperature: r.temperature,
  humidity: r.humidity,
  msg_id: r.msg_id,
});

export const imageRow = z.strictObject({
  id: z.number().int(),
  device_id: z.string(),
  ...time("ts", "when the snapshot was taken"),
  bytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  msg_id: z.string().nullable(),
  url: z.string().describe("the JPEG: GET it"),
});
export const image = (r: Row) => ({
  id: r.id,
  device_id: r.device_id,
  ...timePair("ts", r.ts as number),
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  msg_id: r.msg_id,
  url: `/images/${r.id}.jpg`,
});

/** The seed's level: a number, or `FULL` (then `bin_level` is null and `full` true). */
const levelOf = (raw: unknown): number | null => {
  const n = typeof raw === "string" && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : null;
};
export const binRow = z.strictObject({
  id: z.number().int(),
  bin_count: z.number().int().describe("the bin's number"),
  bin_level: num.describe("the fill level the bin sent; null when it said FULL"),
  full: z.boolean(),
  m_time: z.string().describe('the bin\'s own local time, as it sent it ("YYYY-mm-dd HH:MM:SS")'),
  ...time("ts", "m_time as an instant (read in the server's time zone)"),
});
export const bin = (r: Row) => ({
  id: r.id,
  bin_count: r.bin_count,
  bin_level: levelOf(r.bin_level),
  full: !!r.full,
  m_time: r.m_time,
  ...timePair("ts", r.ts as number),
});

export const deviceRow = z.strictObject({
  id: z.string(),
  name: z.string().nullable().describe("the display name given on its page (the id stays)"),
  kind: z.string().describe("device, coffee, camera, …"),
  x: num,
  y: num,
  status: z.string().nullable().describe("the status the device last reported"),
  desired_status: z.string().nullable().describe("the status it was last told to take"),
  online: z.boolean(),
  ...time("last_seen", "when it was last heard from", true),
});
export const device = (r: Row) => ({
  id: r.id,
  name: (r.name as string | null | undefined) ?? null,
  kind: r.kind,
  x: r.x,
  y: r.y,
  status: r.status,
  desired_status: r.desired_status,
  online: !!r.online,
  ...timePair("last_seen", r.last_seen as number | null),
});

export const roomRow = z.strictObject({
  room_no: z.number().int(),
  temperature: num,
  humidity: num,
  ...time("updated_at", "the newest reading's time"),
});
export const room = (r: Row) => ({
  room_no: r.room_no,
  temperature: r.temperature,
  humidity: r.humidity,
  ...timePair("updated_at", r.updated_at as number),
});

export const roomSampleRow = z.strictObject({
  id: z.number().int(),
  room_no: z.number().int(),
  ...time("ts", "when the room reading came"),
  temperature: num,
  humidity: num,
});
export const roomSample = (r: Row) => ({
  id: r.id,
  room_no: r.room_no,
  ...timePair("ts", r.ts as number),
  temperature: r.temperature,
  humidity: r.humidity,
});

export const ruleRow = z.strictObject({
  room_no: z.number().int(),
  schedule_id: z.number().int(),
  condition: z.record(z.string(), z.unknown()).describe("the seed's condition object, as posted"),
  state: z.enum(["ok", "alert"]),
  ...time("updated_at", "when the rule last changed"),
});
export const rule = (r: Row) => ({
  room_no: r.room_no,
  schedule_id: r.schedule_id,
  condition: r.condition,
  state: r.state,
  ...timePair("updated_at", r.updated_at as number),
});

export const personRow = z.strictObject({
  name: z.string(),
  state: z.enum(["in", "out"]),
  ...time("since", "when they went in or out"),
  day: z.string().describe("the local day away_ms_today counts (YYYY-mm-dd)"),
  away_ms_today: z.number().int().describe("milliseconds out today"),
  flagged: z.boolean().describe("away too long today"),
});
export const person = (r: Row) => ({
  name: r.name,
  state: r.state,
  ...timePair("since", r.since as number),
  day: r.day,
  away_ms_today: r.away_ms_today,
  flagged: !!r.flagged,
});

export const presenceRow = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  record_type: z.enum(["in", "out"]),
  ...time("ts", "the event's time"),
});
export const presence = (r: Row) => ({
  id: r.id,
  name: r.name,
  record_type: r.record_type,
  ...timePair("ts", r.ts as number),
});

export const alertRow = z.strictObject({
  id: z.number().int(),
  kind: z.string().describe("bin-full, room-rule, away-too-long, disk, …"),
  subject: z.string().describe("what it is about: a bin, a room, a person"),
  message: z.string(),
  severity: z.enum(["info", "warning", "critical"]),
  state: z.enum(["open", "acknowledged", "cleared"]),
  ...time("created_at", "when it was raised"),
  ...time("cleared_at", "when it was cleared", true),
});
export const alert = (r: Row) => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  message: r.message,
  severity: r.severity,
  state: r.state,
  ...timePair("created_at", (r.created_at ?? r.createdAt) as number),
  ...timePair("cleared_at", (r.cleared_at ?? r.clearedAt) as number | null),
});

/** A roll-up row: one bucket of one key (device, room, bin, person, alert kind). */
export const bucketRow = (key: string, keySchema: z.ZodType, columns: string[]) =>
  z.strictObject({
    ...time("bucket", "the bucket's start"),
    [key]: keySchema,
    count: z.number().int().describe("rows in the bucket"),
    ...Object.fromEntries(columns.map((c) => [c, num])),
  });
export const bucket = (r: Row) => {
  const { bucket: start, ...rest } = r;
  return { ...timePair("bucket", start as number), ...rest };
};

export const problem = z
  .strictObject({ message: z.string().describe("what was wrong, naming the field or parameter") })
  .describe("An error");
