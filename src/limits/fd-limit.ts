import { readFileSync } from "node:fs";

/**
 * The process's open-file limit (soft), from /proc/self/limits; null where there is none.
 * Bun raises the soft limit to the hard one at start, so this is what the process can use.
 */
export function openFilesLimit(
  read = () => readFileSync("/proc/self/limits", "utf8"),
): number | null {
  try {
    const line = read()
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
    if (!soft) return null;
    return soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft) || null;
  } catch {
    return null;
  }
}

/**
 * Connection caps that fit under the file-descriptor limit with `reserve` to spare (the
 * database, log segments, image files, /healthz): scaled down in proportion when they do not.
 */
export function fitToFdLimit<K extends string>(
  caps: Record<K, number>,
  limit: number | null,
  reserve: number,
): { caps: Record<K, number>; scaled: boolean } {
  const total = Object.values<number>(caps).reduce((a, b) => a + b, 0);
  if (limit === null || total + reserve <= limit) return { caps, scaled: false };
  const room = Math.max(0, limit - reserve);
  const out = {} as Record<K, number>;
  for (const k of Object.keys(caps) as K[])
    out[k] = Math.max(1, Math.floor((caps[k] * room) / total));
  return { caps: out, scaled: true };
}
