/**
 * Topic `iot.dead-letter`: records nobody could use — bad MQTT payloads the bridge refused, bad
 * Kafka records a sink refused — with the reason in a header. The one encoder of a dead letter
 * for the whole product: whole (the value as it came) or reduced (too large to copy).
 */
import { isTooLarge } from "../bus/errors.ts";
import type { RecordProducer } from "../bus/types.ts";
import { OVERSIZED_HEADER, PREFIX_BYTES } from "../core/kafka/oversized.ts";
import { topics } from "../core/kafka/topics.ts";
import { bytes, type TopicContract } from "./contract.ts";

export const topic = topics.deadLetter;

/** Same key as the record it stands for (a bridged record's device id, a Kafka record's key). */
export const keyRule = "the key of the record it stands for";

export interface DeadLetter {
  /** why nobody could use it, e.g. `invalid JSON: Unexpected token` */
  reason: string;
  /** where it came from: `mqtt:coffee`, `kafka:room/1@42` */
  source: string;
  key?: string | Buffer | null;
  value: Buffer | string | null;
  /** a Kafka record's own headers (kept, under `original.<name>`, in the reduced form) */
  headers?: Record<string, string>;
  /** a Kafka record's place, for the reduced form's headers */
  from?: { topic: string; partition: number; offset: number };
  /** when it was refused (epoch ms; default now) */
  at?: number;
  /** the message's identity, when it had one (a bridged record always has) */
  msgId?: string;
}

export const deadLetter: TopicContract = {
  topic,
  schema: bytes(
    "The refused record's value as it came (reduced form: its first bytes); headers `reason`, " +
      "`source` (`mqtt:<topic>`, `kafka:<topic>/<partition>@<offset>`), `at` (epoch ms), and " +
      "`msg_id` when it had one; the reduced form adds `reduced`, `original-size`, `topic`, " +
      "`partition`, `offset` and `original.<header>`",
  ),
  key: keyRule,
  msgId: "the refused record's `msg_id`, when it had one",
};

/** Larger values are dead-lettered in reduced form: a dead letter must itself be producible. */
export const DEAD_LETTER_MAX_VALUE_BYTES = 1 << 20;

/**
 * Puts a record that cannot be processed on the dead-letter topic, reason in a header. A
 * record too large to copy (or already reduced when it was fetched) goes in reduced form, and
 * so does one the cluster refuses as too large.
 */
export async function sendToDeadLetter(
  producer: RecordProducer,
  letter: DeadLetter,
): Promise<void> {
  const size = letter.value === null ? 0 : Buffer.byteLength(letter.value);
  const reduced = size > DEAD_LETTER_MAX_VALUE_BYTES || !!letter.headers?.[OVERSIZED_HEADER];
  try {
    await produce(producer, reduced ? reducedDeadLetter(letter) : wholeDeadLetter(letter));
  } catch (e) {
    if (reduced || !isTooLarge(e)) throw e;
    await produce(producer, reducedDeadLetter(letter));
  }
}

export type DeadLetterMessage = {
  key: string | Buffer | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
};

/** The whole form: the record's key and value as they came, with reason, source and time. */
export function wholeDeadLetter(letter: DeadLetter): DeadLetterMessage {
  return { key: letter.key ?? null, value: letter.value, headers: why(letter) };
}

/** What every dead letter says: why, from where, when, and the message's identity if known. */
function why(letter: DeadLetter): Record<string, string> {
  const headers: Record<string, string> = {
    reason: letter.reason,
    source: letter.source,
    at: String(letter.at ?? Date.now()),
  };
  if (letter.msgId !== undefined) headers.msg_id = letter.msgId;
  return headers;
}

/**
 * The reduced form: the record's headers (as `original.<name>`), the reason, the value's
 * original size, the first PREFIX_BYTES of the value, and where the record came from.
 */
export function reducedDeadLetter(letter: DeadLetter): DeadLetterMessage {
  const value = letter.value === null ? null : Buffer.from(letter.value);
  const { [OVERSIZED_HEADER]: fetchedSize, ...original } = letter.headers ?? {};
  const headers: Record<string, string> = {
    ...why(letter),
    reduced: "true",
    "original-size": fetchedSize ?? String(value?.length ?? 0),
  };
  if (letter.from) {
    headers.topic = letter.from.topic;
    headers.partition = String(letter.from.partition);
    headers.offset = String(letter.from.offset);
  }
  for (const [k, v] of Object.entries(original))
    headers[`original.${k}`] = v.slice(0, PREFIX_BYTES);
  const key = letter.key == null ? null : Buffer.from(letter.key).subarray(0, PREFIX_BYTES);
  return { key, value: value && value.subarray(0, PREFIX_BYTES), headers };
}

async function produce(producer: RecordProducer, message: DeadLetterMessage): Promise<void> {
  await producer.send(topic, [message]);
}
