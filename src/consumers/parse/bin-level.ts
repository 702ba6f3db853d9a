import { time } from "../../contracts/fields.ts";
import { check } from "../../contracts/problem.ts";
import { BadRecord } from "./errors.ts";

export interface BinLevel {
  level: string;
  full: boolean;
  binCount: number;
  mTime: string;
  ts: number;
}

/** The bin-level seed: `"<level> <bin_count> <YYYY-mm-dd> <HH:MM:SS>"`, level a number or FULL. */
export function parseBinLevel(value: Buffer): BinLevel {
  const parts = value.toString("utf8").trim().split(/\s+/);
  if (parts.length !== 4)
    throw new BadRecord(`expected "<level> <bin_count> <date> <time>", got ${parts.length} fields`);
  const [level, count, date, clock] = parts as [string, string, string, string];
  const full = level.toUpperCase() === "FULL";
  if (!full && !Number.isFinite(Number(level)))
    throw new BadRecord(`level: expected a number or FULL, got '${level}'`);
  const binCount = Number(count);
  if (!Number.isInteger(binCount))
    throw new BadRecord(`bin_count: expected an integer, got '${count}'`);
  const mTime = `${date} ${clock}`;
  const ts = check(time, mTime, "m_time");
  if (!ts.ok) throw new BadRecord(ts.problem);
  return { level: full ? "FULL" : level, full, binCount, mTime, ts: ts.data };
}
