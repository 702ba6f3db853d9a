/** Wait before attempt n+1 after n failures: base·2^(n-1), capped, with ±20 % jitter. */
export function backoffMs(failures: number, baseMs: number, maxMs: number, random = Math.random) {
  const plain = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}
