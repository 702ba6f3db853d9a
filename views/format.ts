/** Small display helpers shared by the pages (pure). */
export function ago(ts: number | null | undefined, now: number): string {
  if (!ts) return "never";
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/**
 * "2026-05-04 13:02:09" in the server's time zone; one formatter, made once (it is not cheap:
 * ICU's locale and time zone data), at the first page that shows a time rather than at start-up.
 */
let clockFormat: Intl.DateTimeFormat | undefined;

export function clock(ts: number | null | undefined): string {
  if (!ts) return "—";
  clockFormat ??= new Intl.DateTimeFormat("sv-SE", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return clockFormat.format(ts);
}

export function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}

export function num(v: number | null | undefined, unit = ""): string {
  return v === null || v === undefined ? "—" : `${Math.round(v * 10) / 10}${unit}`;
}

/** A byte count in binary units: "512 B", "3.4 MiB", "12 GiB". */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
