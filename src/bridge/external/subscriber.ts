/**
 * The bridge's lasting subscription to an external broker: one session after another. The first
 * connect must succeed (a wrong `--mqtt-url` stops `iot serve` at start); after that a lost
 * connection is retried with a doubling backoff, and the persistent session brings back what
 * the broker queued or we never acked.
 */
import type { Logger } from "../../core/log/index.ts";
import { openSession, type Session, type SessionOptions } from "./session.ts";

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export interface ExternalSubscriber {
  readonly clientId: string;
  /** a clean stop (acks what is being handled, DISCONNECT); `force` just drops the socket */
  endAsync(force?: boolean): Promise<void>;
}

export async function subscribe(
  opts: SessionOptions,
  backoff: Backoff = { firstMs: 500, maxMs: 30_000 },
): Promise<ExternalSubscriber> {
  const log: Logger = opts.log;
  let session: Session | undefined = await openSession(opts);
  let stopped = false;
  let lastForce = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  const loop = (async () => {
    let delay = backoff.firstMs;
    for (;;) {
      if (session) {
        const err = await session.closed;
        session = undefined;
        if (stopped) return;
        log.warn("external mqtt connection lost; reconnecting", { err });
        delay = backoff.firstMs;
      }
      await pause(delay);
      if (stopped) return;
      try {
        session = await openSession(opts);
        if (stopped) return void (await session.end(lastForce));
        log.info("external mqtt reconnected");
      } catch (err) {
        log.debug("external mqtt reconnect failed", { err, retryInMs: delay });
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  })();

  return {
    clientId: opts.clientId,
    async endAsync(force = false) {
      stopped = true;
      lastForce = force;
      wake?.();
      await session?.end(force);
      await loop;
    },
  };
}
