import * as entrance from "../../contracts/entrance.ts";
import { BadRecord, byContract } from "./errors.ts";

export interface EntranceEvent {
  name: string;
  recordType: "in" | "out";
  ts: number;
}

/** Topic `entrance`: key = name, value `{"record_type":"in"|"out","value":<event time>}`. */
export function parseEntrance(key: string | null, value: Buffer): EntranceEvent {
  if (!key) throw new BadRecord("entrance record without a name key");
  const o = byContract(entrance.schema, value);
  return { name: key, recordType: o.record_type, ts: o.value };
}
