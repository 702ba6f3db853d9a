/**
 * The JSON API's one time convention: a time `x` is ISO 8601 with the server's UTC offset
 * (`2026-11-22T10:30:00.000+09:00`) and `x_ms` the same instant in epoch milliseconds, for
 * scripts. Durations stay milliseconds under a name that says so (`away_ms_today`).
 */
const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, "0");

/** Epoch ms → ISO 8601 in the server's local time, with its offset (never a bare `Z`). */
export function isoTime(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? "-" : "+";
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(off / 60)}:${pad(off % 60)}`
  );
}

/** `{ [name]: ISO, [name_ms]: epoch ms }`, both null when the time is unknown. */
export function timePair<N extends string>(
  name: N,
  ms: number | null | undefined,
): Record<N, string | null> & Record<`${N}_ms`, number | null> {
  const known = typeof ms === "number" && Number.isFinite(ms);
  return { [name]: known ? isoTime(ms) : null, [`${name}_ms`]: known ? ms : null } as Record<
    N,
    string | null
  > &
    Record<`${N}_ms`, number | null>;
}

/** ISO 8601 with an offset (`Z` or ±HH:MM), or a date alone (midnight UTC). */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** A time parameter: epoch ms (digits, `0` included) or ISO 8601 with offset; else undefined. */
export function parseTimeParam(raw: string): number | undefined {
  if (/^\d{1,16}$/.test(raw)) return Number(raw);
  if (!ISO.test(raw)) return undefined;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}
