import { BadRecord, json, num } from "./errors.ts";

export interface RoomStatus {
  roomNo: number;
  temperature: number | null;
  humidity: number | null;
}

/** Topic `room` (the `/office_status` body): `{"room_no":1,"status":{"humidity":10,"temperature":30}}`. */
export function parseRoomStatus(value: Buffer): RoomStatus {
  const o = json(value);
  const roomNo = num(o.room_no, "room_no");
  const s = o.status as Record<string, unknown> | undefined;
  if (typeof s !== "object" || s === null) throw new BadRecord("status: expected an object");
  return {
    roomNo,
    temperature: s.temperature === undefined ? null : num(s.temperature, "status.temperature"),
    humidity: s.humidity === undefined ? null : num(s.humidity, "status.humidity"),
  };
}

export type AggType = "min" | "mean" | "max";
export interface Bound {
  agg_type: AggType;
  up: number | null;
  down: number | null;
}
export interface RoomRule {
  roomNo: number;
  scheduleId: number;
  order: "insert" | "update" | "delete";
  condition: Partial<Record<"temperature" | "humidity", Bound>>;
}

/** Topic `room_rule` (the `/office_rule` body). */
export function parseRoomRule(value: Buffer): RoomRule {
  const o = json(value);
  const roomNo = num(o.room_no, "room_no");
  const v = o.value as Record<string, unknown> | undefined;
  if (typeof v !== "object" || v === null) throw new BadRecord("value: expected an object");
  const order = v.order;
  if (order !== "insert" && order !== "update" && order !== "delete")
    throw new BadRecord("value.order: expected insert, update or delete");
  const condition: RoomRule["condition"] = {};
  const c = (v.condition ?? {}) as Record<string, unknown>;
  for (const metric of ["temperature", "humidity"] as const) {
    const b = c[metric] as Record<string, unknown> | undefined;
    if (b === undefined || b === null) continue;
    if (b.agg_type !== "min" && b.agg_type !== "mean" && b.agg_type !== "max") {
      throw new BadRecord(`value.condition.${metric}.agg_type: expected min, mean or max`);
    }
    const bound = (x: unknown, f: string) => (x === null || x === undefined ? null : num(x, f));
    condition[metric] = {
      agg_type: b.agg_type,
      up: bound(b.up, `${metric}.up`),
      down: bound(b.down, `${metric}.down`),
    };
  }
  if (order !== "delete" && Object.keys(condition).length === 0)
    throw new BadRecord("value.condition: no temperature or humidity bound");
  return { roomNo, scheduleId: num(v.schedule_id, "value.schedule_id"), order, condition };
}
