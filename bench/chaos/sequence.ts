/**
 * What a device made, from what was stored: it reads once per interval, so the readings it made
 * between its first and last stored one are the contiguous sequence between them. When every
 * `msg_id` is one stem and a number (`<boot>-<seq>`), gaps in that sequence are counted;
 * otherwise gaps in ts, a gap of k intervals meaning k − 1 readings missing.
 */
import type { StoredReading } from "./store.ts";

export interface SequenceCounts {
  /** readings the device made from its first stored reading to its last */
  made: number;
  /** distinct readings stored */
  stored: number;
  /** extra copies */
  duplicated: number;
  missing: number;
  basis: string;
  /** the largest gaps, as "after <ts>: <n> missing" */
  gaps: string[];
  /** a few keys stored more than once */
  copies: string[];
}

export function sequenceCounts(rows: StoredReading[], intervalMs: number): SequenceCounts {
  const seqOf = (r: StoredReading) => /(\d+)$/.exec(r.msgId ?? "")?.[1];
  const stem = (r: StoredReading) => (r.msgId ?? "").replace(/\d+$/, "");
  // one counter (same stem, e.g. one boot's "<boot>-"), else the ids say nothing about gaps
  const bySeq =
    rows.length > 0 && rows.every((r) => seqOf(r) !== undefined && stem(r) === stem(rows[0]!));
  const keys = rows.map((r) => (bySeq ? Number(seqOf(r)) : r.ts));
  const distinct = [...new Set(keys)].sort((a, b) => a - b);
  const step = bySeq ? 1 : intervalMs;
  let missing = 0;
  const gaps: Array<[number, number]> = [];
  for (let i = 1; i < distinct.length; i++) {
    const k = Math.max(0, Math.round((distinct[i]! - distinct[i - 1]!) / step) - 1);
    if (k > 0) gaps.push([distinct[i - 1]!, k]);
    missing += k;
  }
  gaps.sort((a, b) => b[1] - a[1]);
  const seen = new Set<number>();
  const copies = keys.filter((k) => seen.has(k) || !seen.add(k));
  return {
    made: distinct.length + missing,
    stored: distinct.length,
    duplicated: keys.length - distinct.length,
    missing,
    basis: bySeq
      ? "the sequence number at the end of msg_id"
      : `ts, one reading per ${intervalMs} ms`,
    copies: copies.slice(0, 5).map((k) => `${bySeq ? "seq" : "ts"} ${k}`),
    gaps: gaps.slice(0, 5).map(([at, k]) => `after ${bySeq ? "seq" : "ts"} ${at}: ${k} missing`),
  };
}
