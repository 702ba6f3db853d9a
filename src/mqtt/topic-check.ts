/**
 * Topic names and filters the broker refuses before anything is stored or forwarded: a retained
 * message on a topic a subscriber's client cannot parse would disconnect it on every reconnect.
 * aedes itself refuses empty names and wildcards in a client's PUBLISH; these checks also cover
 * the broker's own publishes (device commands) and SUBSCRIBE filters.
 */

import { boundedMemo } from "../core/memo/bounded.ts";

/** Why a string cannot be an MQTT topic at all, or undefined. */
function stringProblem(topic: string): string | undefined {
  if (topic.length === 0) return "empty topic [MQTT-4.7.3-1]";
  if (topic.includes("\0")) return "topic contains U+0000 [MQTT-1.5.4-2]";
  // mqtt-packet decodes ill-formed UTF-8 to U+FFFD; a lone surrogate can come from JS callers
  if (topic.includes("\uFFFD") || !topic.isWellFormed())
    return "topic is not well-formed UTF-8 [MQTT-1.5.4-1]";
  // [MQTT-1.5.4-3] says SHOULD NOT; a CR or LF in a topic only ever breaks logs and views
  if (/[\u0001-\u001f\u007f-\u009f]/.test(topic)) return "topic contains a control character";
  return undefined;
}

/** A PUBLISH topic name: no wildcards [MQTT-3.3.2-2]. */
export function topicNameProblem(topic: string): string | undefined {
  const problem = stringProblem(topic);
  if (problem) return problem;
  if (/[+#]/.test(topic)) return "wildcard in a topic name [MQTT-3.3.2-2]";
  return undefined;
}

/** A SUBSCRIBE filter (wildcards are checked by aedes's own validateTopic). */
export const topicFilterProblem = stringProblem;

/** topicNameProblem for every PUBLISH, remembered: devices publish to the same few topics. */
export const rememberingTopicNameCheck = (max?: number) => boundedMemo(topicNameProblem, { max });
