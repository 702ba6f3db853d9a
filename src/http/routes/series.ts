/**
 * `GET /api/series`: a chart's data, downsampled on the server (src/store/series.ts).
 *
 *   room=<n> | device=<id>   whose readings (exactly one)
 *   since=<ms> until=<ms>    the span, ms since the epoch (default: the last 24 h up to now)
 *   buckets=<n>              at most this many buckets over the span (default 1000, ≤ 2000)
 *   bucket=<ms>              or this bucket size exactly (a live chart asking from its last bucket)
 *
 * A bad parameter is a 400 naming it.
 */
import { Hono, type Context } from "hono";
import type { Db } from "../../store/index.ts";
import { bucketFor, seriesOf, type SeriesSource } from "../../store/series.ts";

const MAX_BUCKETS = 2000;
const MAX_SPAN_MS = 400 * 86_400_000;
const DEFAULT_SPAN_MS = 86_400_000;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** An optional integer query parameter within [min, max]. */
function int(c: Context, name: string, min: number, max: number): Parsed<number | undefined> {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return { ok: true, value: undefined };
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max)
    return bad(`${name}: expected an integer ${min}..${max}`);
  return { ok: true, value: n };
}

function sourceOf(c: Context): Parsed<SeriesSource> {
  const room = int(c, "room", 0, 2 ** 31 - 1);
  if (!room.ok) return room;
  const device = c.req.query("device");
  if (device !== undefined && (device.length === 0 || device.length > 128))
    return bad("device: expected a device id of 1..128 characters");
  if ((room.value === undefined) === (device === undefined))
    return bad("room: expected exactly one of room=<number> or device=<id>");
  return { ok: true, value: room.value !== undefined ? { room: room.value } : { device: device! } };
}

export function seriesRoutes(deps: { db: Db; now?: () => number }) {
  const now = deps.now ?? Date.now;
  return new Hono().get("/api/series", (c) => {
    const source = sourceOf(c);
    if (!source.ok) return c.json({ message: source.message }, 400);
    const until = int(c, "until", 0, 8.64e15);
    if (!until.ok) return c.json({ message: until.message }, 400);
    const untilMs = until.value ?? now();
    const since = int(c, "since", 0, 8.64e15);
    if (!since.ok) return c.json({ message: since.message }, 400);
    const sinceMs = since.value ?? untilMs - DEFAULT_SPAN_MS;
    if (sinceMs >= untilMs) return c.json({ message: "since: expected before until" }, 400);
    const span = untilMs - sinceMs;
    if (span > MAX_SPAN_MS)
      return c.json(
        { message: `since: at most ${MAX_SPAN_MS / 86_400_000} days before until` },
        400,
      );
    const buckets = int(c, "buckets", 1, MAX_BUCKETS);
    if (!buckets.ok) return c.json({ message: buckets.message }, 400);
    const bucket = int(c, "bucket", 1000, MAX_SPAN_MS);
    if (!bucket.ok) return c.json({ message: bucket.message }, 400);
    if (bucket.value !== undefined && span / bucket.value > MAX_BUCKETS)
      return c.json(
        { message: `bucket: too small for the span (at most ${MAX_BUCKETS} buckets)` },
        400,
      );
    const bucketMs = bucket.value ?? bucketFor(span, buckets.value ?? 1000);
    const series = seriesOf(deps.db, source.value, {
      since: sinceMs,
      until: untilMs,
      bucketMs,
    });
    return c.json(series, 200, { "cache-control": "no-store" });
  });
}
