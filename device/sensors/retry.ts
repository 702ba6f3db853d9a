/**
 * DHT sensors fail often and harmlessly: the one-wire timing is bit-banged, so a read that a
 * scheduler hiccup spoiled is answered with EIO/ETIMEDOUT/EAGAIN. Retry those a bounded number of
 * times with a growing pause (the kernel driver caches a reading for 2 s, so pausing helps).
 */
import type { Logger } from "../../src/core/log/index.ts";

export interface RetryPolicy {
  attempts: number;
  /** first pause; doubles each time up to maxDelayMs */
  delayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetry: RetryPolicy = {
  attempts: 5,
  delayMs: 500,
  maxDelayMs: 2100,
  sleep: (ms) => Bun.sleep(ms),
};

const transientCodes = new Set(["EIO", "ETIMEDOUT", "EAGAIN", "EBUSY"]);

/** A failed read worth trying again: a transient errno, or a value the sensor cannot produce. */
export class TransientReadError extends Error {}

export function isTransient(err: unknown): boolean {
  if (err instanceof TransientReadError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && transientCodes.has(code);
}

export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  log: Logger,
  attempt: () => Promise<T>,
): Promise<T> {
  let delay = policy.delayMs;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err)) throw err;
      const reason = describe(err);
      if (i >= policy.attempts)
        throw new Error(`${what}: failed ${i} times in a row (last: ${reason})`, { cause: err });
      log.debug("read failed, retrying", { what, attempt: i, reason, delayMs: delay });
      await policy.sleep(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  return typeof code === "string" && !msg.includes(code) ? `${code} ${msg}` : msg;
}
