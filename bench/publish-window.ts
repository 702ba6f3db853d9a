/**
 * A window of MQTT publishes in flight on one mqtt.js client, kept with a counter and mqtt.js's
 * callback API: one callback per message, no promise per message, nothing that grows with the
 * window. The load generators of the ingest benchmarks are part of what they measure (on 2 cores
 * they share the machine with the broker), so their own cost per message has to stay small: a
 * `Set` of promises raced whenever the window is full attached a reaction to every message in
 * flight on every publish, O(window) work and garbage per message.
 */
import type { MqttClient } from "mqtt";

export interface Outgoing {
  topic: string;
  payload: string;
}

/**
 * What to publish next: a message; `undefined` once there is nothing more to send; or a number
 * of milliseconds to wait before asking again (a paced load whose next message is not due yet).
 */
export type Take = () => Outgoing | number | undefined;

/**
 * Publishes what `take` gives on `client` with up to `window` messages in flight (QoS 1: until
 * the PUBACK arrives; QoS 0: until mqtt.js has written it), until `take` says there is nothing
 * more and every message has settled. Resolves with the count acknowledged; rejects with the
 * first error once nothing is in flight any more (sending nothing new after an error), or at once
 * when the connection closes.
 */
export function publishWindow(
  client: MqttClient,
  window: number,
  take: Take,
  qos: 0 | 1 = 1,
): Promise<number> {
  if (!(window >= 1)) throw new RangeError(`window must be ≥ 1, not ${window}`);
  const opts = { qos };
  return new Promise<number>((resolve, reject) => {
    let inflight = 0;
    let acked = 0;
    let exhausted = false;
    let failed: Error | undefined;
    let filling = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;

    const finish = () => {
      settled = true;
      client.off("close", onClose);
      if (timer) clearTimeout(timer);
      if (failed) reject(failed);
      else resolve(acked);
    };
    const settle = () => {
      if (!settled && inflight === 0 && !timer && (exhausted || failed)) finish();
    };
    // mqtt.js keeps QoS 1 publishes of a dropped connection for a reconnect that never comes
    // (reconnectPeriod 0): their callbacks would never run, so the window fails here
    const onClose = () => {
      if (settled) return;
      failed ??= new Error(`connection closed with ${inflight} publishes unacknowledged`);
      finish();
    };
    client.on("close", onClose);
    const onSettled = (err?: Error | null) => {
      if (settled) return;
      inflight--;
      if (err) failed ??= err;
      else acked++;
      fill();
    };
    const fill = () => {
      // QoS 0 callbacks (and errors) may come back synchronously, inside publish: the outer
      // loop goes on, no recursion
      if (filling || settled) return;
      filling = true;
      try {
        while (!failed && !exhausted && !timer && inflight < window) {
          const next = take();
          if (next === undefined) exhausted = true;
          else if (typeof next === "number")
            timer = setTimeout(() => {
              timer = undefined;
              fill();
            }, next);
          else {
            inflight++;
            client.publish(next.topic, next.payload, opts, onSettled);
          }
        }
      } catch (err) {
        failed ??= err as Error;
      } finally {
        filling = false;
      }
      settle();
    };
    fill();
  });
}
