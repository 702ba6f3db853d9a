/**
 * kafkajs 2.2.4 keeps a 1 ms timer running on every connection forever: its request queue
 * re-schedules its pending-requests check after each check, and with nothing pending and no
 * throttling the delay is negative (→ 1 ms, and Bun's TimeoutNegativeWarning). An idle
 * `iot serve` spent ~10 % of a core on it. Upstream: tulios/kafkajs#1556, #1704 (unfixed in the
 * last release). The corrected method schedules a check only when there is something to check:
 * requests pending (as before), or a throttle that ends later.
 */
// kafkajs has no exports map: this deep path is the very module its connections use
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

interface QueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
}

/** kafkajs's interval while requests wait (CHECK_PENDING_REQUESTS_INTERVAL) */
const pendingCheckMs = 10;
let installed = false;

export function fixKafkajsIdleLoop(): void {
  if (installed) return;
  installed = true;
  const proto = (RequestQueue as unknown as { prototype: QueueState }).prototype;
  (proto as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests =
    function (this: QueueState) {
      if (this.throttleCheckTimeoutId) return;
      const untilUnthrottled = this.throttledUntil - Date.now();
      if (this.pending.length === 0 && untilUnthrottled <= 0) return; // nothing to check later
      const delay = untilUnthrottled > 0 ? untilUnthrottled : pendingCheckMs;
      this.throttleCheckTimeoutId = setTimeout(() => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      }, delay);
    };
}
