import type { z } from "zod";
import * as telemetry from "../../contracts/telemetry.ts";
import * as tempTest from "../../contracts/temp-test.ts";
import { checkedBy, deviceKey, jsonRecord } from "./errors.ts";
import {
  optional,
  plainMsgId,
  plainNumeric,
  plainSeedDeviceId,
  plainTime,
  UNSURE,
  type Unsure,
} from "./plain.ts";

export interface Reading {
  deviceId: string;
  ts: number;
  temperature: number | null;
  humidity: number | null;
  /** the payload's own `msg_id`, if it has one */
  msgId: string | null;
}

/** `iot/<id>/telemetry`: `{"msg_id"?, "ts"?, "temperature"?, "humidity"?}` (ts: ms, s or ISO). */
export function parseTelemetry(
  deviceId: string | null,
  value: Buffer,
  fallbackTs: number,
): Reading {
  const id = deviceKey(deviceId, "telemetry");
  const object = jsonRecord(value);
  const plain = plainTelemetry(object);
  const o = plain !== UNSURE ? plain : checkedBy(telemetry.schema, object);
  return {
    deviceId: id,
    ts: o.ts ?? fallbackTs,
    temperature: o.temperature ?? null,
    humidity: o.humidity ?? null,
    msgId: o.msg_id ?? null,
  };
}

/** The seed's DHT producer: `{"m_id":"0","datetime":"2026-11-22 10:00:00","temp":"23.0"}`. */
export function parseTempTest(value: Buffer): Reading {
  const object = jsonRecord(value);
  const plain = plainTempTest(object);
  const o = plain !== UNSURE ? plain : checkedBy(tempTest.schema, object);
  return {
    deviceId: o.m_id,
    ts: o.datetime,
    temperature: o.temp,
    humidity: o.humidity ?? null,
    msgId: o.msg_id ?? null,
  };
}

const optionalNumeric = optional(plainNumeric);
const optionalTime = optional(plainTime);
const optionalMsgId = optional(plainMsgId);

/** The telemetry contract's output for a plainly right payload, else UNSURE (plain.ts). */
export function plainTelemetry(
  o: Record<string, unknown>,
): z.infer<typeof telemetry.schema> | Unsure {
  const temperature = optionalNumeric(o.temperature);
  const humidity = optionalNumeric(o.humidity);
  const ts = optionalTime(o.ts);
  const msg_id = optionalMsgId(o.msg_id);
  if (temperature === UNSURE || humidity === UNSURE || ts === UNSURE || msg_id === UNSURE)
    return UNSURE;
  if (temperature === undefined && humidity === undefined) return UNSURE;
  return { temperature, humidity, ts, msg_id };
}

/** The temp_test contract's output for a plainly right payload, else UNSURE (plain.ts). */
export function plainTempTest(
  o: Record<string, unknown>,
): z.infer<typeof tempTest.schema> | Unsure {
  const m_id = plainSeedDeviceId(o.m_id);
  const datetime = plainTime(o.datetime);
  const temp = plainNumeric(o.temp);
  const humidity = optionalNumeric(o.humidity);
  const msg_id = optionalMsgId(o.msg_id);
  if (
    m_id === UNSURE ||
    datetime === UNSURE ||
    temp === UNSURE ||
    humidity === UNSURE ||
    msg_id === UNSURE
  )
    return UNSURE;
  return { m_id, datetime, temp, humidity, msg_id };
}
