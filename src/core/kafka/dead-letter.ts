import type { Producer } from "kafkajs";
import { topics } from "./topics.ts";

export interface DeadLetter {
  /** why nobody could use it, e.g. `invalid JSON: Unexpected token` */
  reason: string;
  /** where it came from: `mqtt:coffee`, `kafka:room/1@42` */
  source: string;
  key?: string | Buffer | null;
  value: Buffer | string | null;
}

/** Puts a record that cannot be processed on the dead-letter topic, reason in a header. */
export async function sendToDeadLetter(producer: Producer, letter: DeadLetter): Promise<void> {
  await producer.send({
    topic: topics.deadLetter,
    acks: -1,
    messages: [
      {
        key: letter.key ?? null,
        value: letter.value,
        headers: { reason: letter.reason, source: letter.source, at: String(Date.now()) },
      },
    ],
  });
}
