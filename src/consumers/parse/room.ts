import * as room from "../../contracts/room.ts";
import * as roomRule from "../../contracts/room-rule.ts";
import { byContract, checkedBy, jsonRecord } from "./errors.ts";
import { fastRoomStatus } from "../../contracts/room-plain.ts";
import { UNSURE, type Unsure } from "./plain.ts";

import type { AggType } from "../../contracts/room-rule.ts";

export type { AggType };

export interface RoomStatus {
  roomNo: number;
  temperature: number | null;
  humidity: number | null;
}

/** Topic `room` (the `/office_status` body), by its contract. */
export function parseRoomStatus(value: Buffer): RoomStatus {
  const object = jsonRecord(value);
  const plain = plainRoomStatus(object);
  if (plain !== UNSURE) return plain;
  const { room_no, status } = checkedBy(room.schema, object);
  return {
    roomNo: room_no,
    temperature: status.temperature ?? null,
    humidity: status.humidity ?? null,
  };
}

/** What the room contract gives a plainly right payload, else UNSURE (plain.ts). */
export function plainRoomStatus(o: Record<string, unknown>): RoomStatus | Unsure {
  const r = fastRoomStatus(o);
  if (r === undefined) return UNSURE;
  const { temperature, humidity } = r.status;
  return { roomNo: r.room_no, temperature: temperature ?? null, humidity: humidity ?? null };
}

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

/** Topic `room_rule` (the `/office_rule` body), by its contract. */
export function parseRoomRule(value: Buffer): RoomRule {
  const { room_no, value: v } = byContract(roomRule.schema, value);
  const condition: RoomRule["condition"] = {};
  for (const metric of ["temperature", "humidity"] as const) {
    const b = v.condition?.[metric];
    if (b) condition[metric] = { agg_type: b.agg_type, up: b.up ?? null, down: b.down ?? null };
  }
  return { roomNo: room_no, scheduleId: v.schedule_id, order: v.order, condition };
}
