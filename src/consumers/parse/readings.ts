import * as telemetry from "../../contracts/telemetry.ts";
import * as tempTest from "../../contracts/temp-test.ts";
import { byContract, deviceKey } from "./errors.ts";

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
  const o = byContract(telemetry.schema, value);
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
  const o = byContract(tempTest.schema, value);
  return {
    deviceId: o.m_id,
    ts: o.datetime,
    temperature: o.temp,
    humidity: o.humidity ?? null,
    msgId: o.msg_id ?? null,
  };
}
