import { ErrorCode } from "../../protocol/errors.ts";

/** Kafka's rule: [a-zA-Z0-9._-], at most 249 characters, not "." or "..". */
export function topicNameError(name: string): string | null {
  if (name.length === 0) return "topic name is empty";
  if (name.length > 249) return "topic name is longer than 249 characters";
  if (name === "." || name === "..") return `topic name cannot be '${name}'`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name))
    return `topic name '${name}' has characters outside [a-zA-Z0-9._-]`;
  return null;
}

export class TopicError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidTopic = (reason: string) =>
  new TopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, reason);
