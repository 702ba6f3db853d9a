import * as coffee from "../../contracts/coffee.ts";
import * as status from "../../contracts/status.ts";
import { byContract, deviceKey } from "./errors.ts";

export interface DeviceUpdate {
  id: string;
  x?: number;
  y?: number;
  status?: string;
}

/** The coffee devices: `{"id":"3DF92-192","x":1,"y":2,"status":"Active"}`, by its contract. */
export function parseCoffee(value: Buffer): DeviceUpdate {
  const { id, x, y, status } = byContract(coffee.schema, value);
  const out: DeviceUpdate = { id };
  if (x !== undefined) out.x = x;
  if (y !== undefined) out.y = y;
  if (status !== undefined) out.status = status;
  return out;
}

/** `iot/<id>/status`: `{"status":"online"|"offline"|"Active"|"Inactive"}` (retained, LWT). */
export function parseDeviceStatus(
  deviceId: string | null,
  value: Buffer,
): { id: string; status: string } {
  const id = deviceKey(deviceId, "status");
  return { id, status: byContract(status.schema, value).status };
}
