import type { ScenarioResult } from "./types.ts";
import type { Counts } from "./store.ts";

/** The scenario's result from its counts: a pass needs no loss, no duplicate and `ok`. */
export function result(
  name: string,
  counts: Counts,
  startedAt: number,
  notes: string[],
  ok = true,
): ScenarioResult {
  const all = [...notes, `messages identified by ${counts.basis}`];
  if (counts.storedUnacked > 0)
    all.push(`${counts.storedUnacked} stored messages had no PUBACK (lost to the fault; re-sent)`);
  if (counts.unknown > 0) all.push(`${counts.unknown} stored rows match no message sent`);
  if (counts.lost > 0) all.push(`lost, e.g.: ${counts.examples.lost.join(", ")}`);
  if (counts.duplicated > 0) all.push(`duplicated, e.g.: ${counts.examples.duplicated.join(", ")}`);
  return {
    name,
    sent: counts.sent,
    acknowledged: counts.acknowledged,
    stored: counts.stored,
    lost: counts.lost,
    duplicated: counts.duplicated,
    pass: ok && counts.lost === 0 && counts.duplicated === 0,
    notes: all,
    durationMs: Date.now() - startedAt,
  };
}
