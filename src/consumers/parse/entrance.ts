import { BadRecord, json, time } from "./errors.ts";

export interface EntranceEvent {
  name: string;
  recordType: "in" | "out";
  ts: number;
}

/** Topic `entrance`: key = name, value `{"record_type":"in"|"out","value":<event time>}`. */
export function parseEntrance(key: string | null, value: Buffer): EntranceEvent {
  if (!key) throw new BadRecord("entrance record without a name key");
  const o = json(value);
  if (o.record_type !== "in" && o.record_type !== "out")
    throw new BadRecord("record_type: expected in or out");
  return { name: key, recordType: o.record_type, ts: time(o.value, "value") };
}
