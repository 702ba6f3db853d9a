/**
 * Moves the outbox to the server: the oldest messages in a batch (several in flight, in order),
 * acknowledged in the outbox only once the server acknowledged them all. On failure the same
 * batch is tried again after a pause, so nothing is skipped and the order holds.
 */
import type { Logger } from "../src/core/log/index.ts";
import type { Outbox } from "./outbox/index.ts";
import type { Transport } from "./transport/types.ts";

export interface Delivery {
  /** Waits for a batch in flight (at most `graceMs`), then stops. */
  stop(graceMs: number): Promise<void>;
  /** messages acknowledged by the server since start */
  readonly delivered: number;
}

export function startDelivery(
  outbox: Outbox,
  transport: Transport,
  log: Logger,
  batch = 16,
): Delivery {
  let stopped = false;
  let closed = false;
  let delivered = 0;
  let pause: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      pause = { timer: setTimeout(resolve, ms), resolve };
    });

  const loop = async () => {
    while (!stopped) {
      await outbox.whenNotEmpty();
      if (stopped) return;
      if (!transport.connected()) {
        await sleep(250);
        continue;
      }
      const { messages, end } = outbox.peek(batch);
      if (messages.length === 0) {
        await sleep(100);
        continue;
      }
      try {
        await transport.send(messages);
        if (closed) return; // too late: sent again at the next start
        outbox.ack(end);
        delivered += messages.length;
        log.debug("delivered", { messages: messages.length, waiting: outbox.length });
      } catch (err) {
        if (!stopped) log.warn("delivery failed; will retry", { err, waiting: outbox.length });
        await sleep(1000);
      }
    }
  };
  const done = loop().catch((err) => log.error("delivery stopped", { err }));

  return {
    get delivered() {
      return delivered;
    },
    async stop(graceMs) {
      stopped = true;
      if (pause) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
      outbox.wake();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([done, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      closed = true;
    },
  };
}
