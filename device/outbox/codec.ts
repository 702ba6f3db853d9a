/**
 * How an outbox message is kept on disk: `{kind, id, h, v}` with the payload in base64. Outboxes
 * written before this format held the bridge's record shape (`{t: kind, h: {msg_id, …}, v}`);
 * those are still read, so an agent upgraded with undelivered messages sends them all.
 */
import type { QueueCodec } from "../../src/core/queue/queue.ts";
import type { OutboxKind, OutboxMessage } from "./message.ts";

interface Stored {
  kind: OutboxKind;
  id: string;
  h: Record<string, string>;
  v: string;
}

/** the first format: a Kafka record dressed up, the kind as its topic */
interface StoredBefore {
  t: OutboxKind;
  h: Record<string, string>;
  v: string;
}

export const outboxCodec: QueueCodec<OutboxMessage> = {
  encode: (m): Stored => ({
    kind: m.kind,
    id: m.msgId,
    h: m.headers,
    v: m.payload.toString("base64"),
  }),
  decode: (stored) => {
    if ((stored as Stored).kind !== undefined) {
      const s = stored as Stored;
      return { kind: s.kind, msgId: s.id, headers: s.h, payload: Buffer.from(s.v, "base64") };
    }
    const { t, h, v } = stored as StoredBefore;
    const { msg_id, ...headers } = h;
    return { kind: t, msgId: msg_id ?? "", headers, payload: Buffer.from(v, "base64") };
  },
};
