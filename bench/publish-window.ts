/**
 * A window of MQTT publishes in flight on one mqtt.js client, kept with a counter and mqtt.js's
 * callback API: one callback per message, no promise per message, nothing that grows with the
 * window. The load generators of the ingest benchmarks are part of what they measure (on 2 cores
 * they share the machine with the broker), so their own cost per message has to stay small: a
 * `Set` of promises raced whenever the window is full attached a reaction to every message in
 * flight on every publish, O(window) work and garbage per message.
 */
import type { IClientOptions, MqttClient } from "mqtt";

/**
 * mqtt.js options for a load generator's clients that cost less per message and change nothing
 * on the wire: no debug logging calls (six or so per publish and per PUBACK), and the keep-alive
 * timer not re-armed on every packet sent (a PINGREQ still goes out if a connection lives past
 * its keep-alive, 60 s).
 */
export const cheapClientOptions: IClientOptions = {
  log: () => {},
  reschedulePings: false,
};

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
    let timer: ReturnType<typeof setTimeout> | undefined;
    let refill: ReturnType<typeof setImmediate> | undefined;
    let settled = false;

    const finish = () => {
      settled = true;
      client.off("close", onClose);
      if (timer) clearTimeout(timer);
      if (refill) clearImmediate(refill);
      if (failed) reject(failed);
      else resolve(acked);
    };
    const settle = () => {
      if (!settled && inflight === 0 && !timer && !refill && (exhausted || failed)) finish();
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
      // the free slots are filled once the acks at hand are all seen, not one by one: mqtt.js
      // hands each PUBACK over in its own tick and writes (corked) per tick, so a publish per
      // ack was a socket write per message; QoS 0 calls back inside publish, so no recursion
      refill ??= setImmediate(fill);
    };
    const fill = () => {
      refill = undefined;
      if (settled) return;
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
      }
      settle();
    };
    fill();
  });
}
