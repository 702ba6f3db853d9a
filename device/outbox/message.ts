/** What the outbox holds: one message for the server, as the device made it. */
export type OutboxKind = "telemetry" | "image";

export interface OutboxMessage {
  kind: OutboxKind;
  /** unique per device forever: `<boot>.<start ms>-<sequence>`, base 36 (`1.mi8x2k3p-17`) */
  msgId: string;
  /** extra metadata sent beside the payload (e.g. `captured_at`) */
  headers: Record<string, string>;
  payload: Buffer;
}
