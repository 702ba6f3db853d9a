/**
 * A record's message identity and capture time, as the bridge or a device writing Kafka directly
 * gives them: the `msg_id` header (a JSON payload's `msg_id` field is in its topic's contract);
 * `captured_at` (epoch ms) as a header on images.
 */
import { msgIdProblem } from "../../contracts/msg-id.ts";
import { BadRecord } from "./errors.ts";
import { plainMsgId, UNSURE } from "./plain.ts";

/** The `msg_id` header, undefined when absent, refused when not a usable id. */
export function msgIdHeaderOf(headers: Record<string, string>): string | undefined {
  const v = headers.msg_id;
  if (v === undefined) return undefined;
  if (plainMsgId(v) !== UNSURE) return v; // the usual case, without zod
  const problem = msgIdProblem(v, "header msg_id");
  if (problem) throw new BadRecord(problem);
  return v;
}

/** Times before 2000 or after 2100 are a device clock that was never set: not believed. */
const earliest = Date.UTC(2000, 0, 1);
const latest = Date.UTC(2100, 0, 1);

/** The `captured_at` header (epoch ms) when it is a sane time, else undefined. */
export function capturedAt(headers: Record<string, string>): number | undefined {
  const v = headers.captured_at;
  if (v === undefined || !/^\d{1,15}$/.test(v)) return undefined;
  const ms = Number(v);
  return ms >= earliest && ms < latest ? ms : undefined;
}
