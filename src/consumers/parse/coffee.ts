import { BadRecord, deviceId as checkId, json, num } from "./errors.ts";

export interface DeviceUpdate {
  id: string;
  x?: number;
  y?: number;
  status?: string;
}

/** The coffee devices: `{"id":"3DF92-192","x":1,"y":2,"status":"Active"}`. */
export function parseCoffee(value: Buffer): DeviceUpdate {
  const o = json(value);
  if (typeof o.id !== "string" || o.id === "")
    throw new BadRecord("id: expected a non-empty string");
  const out: DeviceUpdate = { id: checkId(o.id, "id") };
  if (o.x !== undefined) out.x = num(o.x, "x");
  if (o.y !== undefined) out.y = num(o.y, "y");
  if (o.status !== undefined) {
    if (o.status !== "Active" && o.status !== "Inactive")
      throw new BadRecord("status: expected Active or Inactive");
    out.status = o.status;
  }
  return out;
}

/** `iot/<id>/status`: `{"status":"online"|"offline"|"Active"|"Inactive"}` (retained, LWT). */
export function parseDeviceStatus(
  deviceId: string | null,
  value: Buffer,
): { id: string; status: string } {
  if (!deviceId) throw new BadRecord("status without a device id key");
  checkId(deviceId, "key");
  const o = json(value);
  if (typeof o.status !== "string") throw new BadRecord("status: expected a string");
  return { id: deviceId, status: o.status };
}
