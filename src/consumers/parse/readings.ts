import { BadRecord, deviceId as checkId, json, num, time } from "./errors.ts";
import { msgIdField } from "./identity.ts";

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
  if (!deviceId) throw new BadRecord("telemetry without a device id key");
  checkId(deviceId, "key");
  const o = json(value);
  const temperature = o.temperature === undefined ? null : num(o.temperature, "temperature");
  const humidity = o.humidity === undefined ? null : num(o.humidity, "humidity");
  if (temperature === null && humidity === null)
    throw new BadRecord("telemetry has neither temperature nor humidity");
  return {
    deviceId,
    ts: o.ts === undefined ? fallbackTs : time(o.ts, "ts"),
    temperature,
    humidity,
    msgId: msgIdField(o),
  };
}

/** The seed's DHT producer: `{"m_id":"0","datetime":"2026-11-22 10:00:00","temp":"23.0"}`. */
export function parseTempTest(value: Buffer): Reading {
  const o = json(value);
  if (o.m_id === undefined || o.m_id === null || o.m_id === "")
    throw new BadRecord("m_id is missing");
  return {
    deviceId: checkId(o.m_id, "m_id"),
    ts: time(o.datetime, "datetime"),
    temperature: num(o.temp, "temp"),
    humidity: o.humidity === undefined ? null : num(o.humidity, "humidity"),
    msgId: msgIdField(o),
  };
}
