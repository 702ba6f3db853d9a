/**
 * The settings page's "send a test": one attempt, now, not through Kafka (the operator waits for
 * the answer). Stored as a delivery of alert 0, so it shows with the rest.
 */
import type { StoreEngine } from "../../store/engine/index.ts";
import type { Channel } from "../channels/index.ts";

export async function sendTest(
  store: StoreEngine,
  channel: Channel,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const at = now();
  const eventId = `test-${at}-${Math.random().toString(36).slice(2, 8)}`;
  let reason: string | null = null;
  try {
    await channel.send(
      {
        eventId,
        alertId: 0,
        event: "test",
        kind: "test",
        subject: channel.name,
        message: `channel '${channel.name}' works`,
        severity: "info",
        at,
        times: 1,
        windowMinutes: 60,
      },
      AbortSignal.timeout(timeoutMs),
    );
  } catch (e) {
    reason = (e as Error).message;
  }
  await store.transaction((tx) =>
    tx.deliveries.record({
      alertId: 0,
      eventId,
      event: "test",
      alertKey: `test ${channel.name}`,
      channel: channel.name,
      attempt: 1,
      status: reason === null ? "sent" : "failed",
      reason,
      at: now(),
    }),
  );
  return reason === null ? { ok: true } : { ok: false, reason };
}
