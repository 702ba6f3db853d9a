/**
 * `GET /api/series`: a chart's data, downsampled on the server (src/store/series.ts): exactly one
 * of `room_no` or `device_id`, a span (`since`, `until`; default the last 24 h) and at most
 * `buckets` buckets over it, or `bucket_ms` exactly (a live chart asking from its last bucket).
 * A bad parameter is a 400 naming it. The answer is columnar, as charts take it: `t` holds each
 * bucket's start in epoch ms, beside the span in the API's time convention.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { StoreEngine } from "../../store/engine/index.ts";
import { bucketFor } from "../../store/series.ts";
import { integerText, query, time } from "../api/params.ts";
import { timePair } from "../api/time.ts";

const MAX_BUCKETS = 2000;
const MAX_SPAN_MS = 400 * 86_400_000;
const DEFAULT_SPAN_MS = 86_400_000;

const intIn = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `expected an integer ${min}..${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected an integer ${min}..${max}`)
    .optional()
    .describe(what);

export const seriesQuery = z.object({
  room_no: integerText("whose readings: a room (exactly one of room_no and device_id)"),
  device_id: z
    .string()
    .min(1, "expected a device id of 1..128 characters")
    .max(128, "expected a device id of 1..128 characters")
    .optional()
    .describe("whose readings: a device"),
  since: time("the span's start (default: 24 h before until)"),
  until: time("the span's end (default: now)"),
  buckets: intIn(1, MAX_BUCKETS, `at most this many buckets over the span (default 1000)`),
  bucket_ms: intIn(1000, MAX_SPAN_MS, "or exactly this bucket size, in ms"),
});

const stats = z.object({
  min: z.array(z.number().nullable()),
  mean: z.array(z.number().nullable()),
  max: z.array(z.number().nullable()),
});

export const seriesAnswer = z.strictObject({
  since: z.string().describe("the span's start, ISO 8601"),
  since_ms: z.number(),
  until: z.string().describe("the span's end, ISO 8601"),
  until_ms: z.number(),
  bucket: z.string().describe("the bucket size as an ISO 8601 duration, e.g. PT3600S"),
  bucket_ms: z.number(),
  t: z.array(z.number()).describe("each bucket's start, epoch ms (only buckets with readings)"),
  n: z.array(z.number()).describe("readings per bucket"),
  temperature: stats.describe("°C per bucket"),
  humidity: stats.describe("% relative humidity per bucket"),
});

const bad = (message: string) => ({ message });

export function seriesRoutes(deps: { engine: StoreEngine; now?: () => number }) {
  const now = deps.now ?? Date.now;
  return new Hono().get("/api/series", async (c) => {
    const q = query(c, seriesQuery);
    if (!q.ok) return q.res;
    const { room_no, device_id, buckets, bucket_ms } = q.data;
    if ((room_no === undefined) === (device_id === undefined))
      return c.json(
        bad("room_no: expected exactly one of room_no=<number> or device_id=<id>"),
        400,
      );
    const until = q.data.until ?? now();
    const since = q.data.since ?? until - DEFAULT_SPAN_MS;
    if (since >= until) return c.json(bad("since: expected before until"), 400);
    const span = until - since;
    if (span > MAX_SPAN_MS)
      return c.json(bad(`since: at most ${MAX_SPAN_MS / 86_400_000} days before until`), 400);
    if (bucket_ms !== undefined && span / bucket_ms > MAX_BUCKETS)
      return c.json(bad(`bucket_ms: too small for the span (at most ${MAX_BUCKETS} buckets)`), 400);
    const bucketMs = bucket_ms ?? bucketFor(span, buckets ?? 1000);
    const source = room_no !== undefined ? { room: room_no } : { device: device_id! };
    const s = await deps.engine.read((r) => r.queries.series(source, { since, until, bucketMs }));
    const answer: z.infer<typeof seriesAnswer> = {
      ...timePair("since", s.since),
      ...timePair("until", s.until),
      bucket: `PT${s.bucketMs / 1000}S`,
      bucket_ms: s.bucketMs,
      t: s.t,
      n: s.n,
      temperature: s.temperature,
      humidity: s.humidity,
    } as z.infer<typeof seriesAnswer>;
    return c.json(answer, 200, { "cache-control": "no-store" });
  });
}
