/**
 * What a refused send looks like, whichever implementation refused it. The in-process producer
 * throws a BusError carrying the Kafka error's type and code, as kafkajs's protocol errors do,
 * so code that tells "refused for good" from "Kafka away" works on both paths.
 */
import { ErrorCode } from "../kafka/protocol/errors.ts";

export class BusError extends Error {
  constructor(
    /** Kafka's name of the error, e.g. MESSAGE_TOO_LARGE (kafkajs's `type`) */
    readonly type: string,
    readonly code: number,
    /** sending the same again may succeed (an outage, a full disk) */
    readonly retriable: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BusError";
  }
}

const nameOf = (code: number) =>
  Object.entries(ErrorCode).find(([, c]) => c === code)?.[0] ?? `ERROR_${code}`;

/** codes a retry cannot fix: the records themselves are refused */
const REJECTIONS: ReadonlySet<number> = new Set([
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.INVALID_TOPIC_EXCEPTION,
  ErrorCode.INVALID_RECORD,
  ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  ErrorCode.POLICY_VIOLATION,
  ErrorCode.INVALID_PARTITIONS,
]);

export function busError(code: number, message: string, cause?: unknown): BusError {
  return new BusError(nameOf(code), code, !REJECTIONS.has(code), message, { cause });
}

type ErrorShape = { name?: string; type?: string; retriable?: boolean; cause?: ErrorShape };

/** Kafka answered with a non-retriable error: sending the same again cannot succeed. */
export function isRejection(e: unknown): boolean {
  const err = e as ErrorShape;
  if (err?.name === "BusError") return err.retriable === false;
  // kafkajs throws the protocol error itself, or wrapped when its retrier gives up on it
  const protocol = err?.name === "KafkaJSNonRetriableError" ? err.cause : err;
  return protocol?.name === "KafkaJSProtocolError" && protocol.retriable === false;
}

/** Kafka refused a record as larger than it takes. */
export function isTooLarge(e: unknown): boolean {
  return (e as ErrorShape)?.type === "MESSAGE_TOO_LARGE";
}
