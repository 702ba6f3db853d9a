/**
 * The room contract checked without zod, on two hot paths (`POST /office_status`'s body and the
 * `room` topic's sink): the shapes room.schema
 * accepts as they arrive (room_no a safe integer or its digits, status holding a finite humidity
 * and/or temperature) give the record zod would have given (same keys, same order, nothing
 * else); anything else goes to zod, so a refused body gets exactly zod's reason.
 */
import type { z } from "zod";
import * as room from "./room.ts";

export type RoomStatus = z.infer<typeof room.schema>;

const digits = /^\d+$/;

/** The record room.schema would parse `raw` into, or undefined when zod must judge it. */
export function fastRoomStatus(raw: unknown): RoomStatus | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const body = raw as Record<string, unknown>;
  let roomNo = body.room_no;
  if (typeof roomNo === "string" && digits.test(roomNo)) roomNo = Number(roomNo);
  if (typeof roomNo !== "number" || !Number.isSafeInteger(roomNo)) return undefined;
  const s = body.status;
  if (typeof s !== "object" || s === null || Array.isArray(s)) return undefined;
  const { humidity, temperature } = s as Record<string, unknown>;
  if (humidity !== undefined && !finite(humidity)) return undefined;
  if (temperature !== undefined && !finite(temperature)) return undefined;
  if (humidity === undefined && temperature === undefined) return undefined;
  const status: RoomStatus["status"] = {};
  if (humidity !== undefined) status.humidity = humidity as number;
  if (temperature !== undefined) status.temperature = temperature as number;
  return { room_no: roomNo, status };
}

const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
