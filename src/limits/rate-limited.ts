import type { Fields } from "../core/log/index.ts";

/**
 * Logs at most one line per `everyMs`, counting the events it left out: a flood of refused
 * connections makes one line every few seconds, not one per connection.
 */
export function rateLimited(
  emit: (msg: string, fields?: Fields) => void,
  everyMs = 10_000,
  now: () => number = Date.now,
): (msg: string, fields?: Fields) => void {
  let last = -Infinity;
  let skipped = 0;
  return (msg, fields) => {
    const t = now();
    if (t - last < everyMs) {
      skipped++;
      return;
    }
    last = t;
    emit(msg, skipped > 0 ? { ...fields, alsoSince: skipped } : fields);
    skipped = 0;
  };
}
