/**
 * What a principal may do on the embedded MQTT broker (protected mode).
 *
 * - device: publish and subscribe under its own `iot/<id>/` only — a wildcard that would reach
 *   past that subtree (`#`, `iot/+/…`, `$SYS/#`) is refused, not narrowed; its client id is its
 *   id, or `<id>/<anything>` for a second connection (no device id holds a `/`, so no device can
 *   pick another's client id and take over its session).
 * - reader: subscribe to anything (`$SYS` included), publish nothing; client ids as a device.
 * - admin and iot's own clients: everything, any client id.
 */
import { isAdmin, type Principal } from "./roles.ts";

const ownSubtree = (p: Principal, levels: string[]) =>
  levels.length >= 3 && levels[0] === "iot" && levels[1] === p.subject;

export function mqttPublishAllowed(p: Principal, topic: string): boolean {
  if (isAdmin(p)) return true;
  return p.role === "device" && ownSubtree(p, topic.split("/"));
}

export function mqttSubscribeAllowed(p: Principal, filter: string): boolean {
  if (isAdmin(p) || p.role === "reader") return true;
  // the first two levels are literal: `+`/`#` there would reach other devices
  return ownSubtree(p, filter.split("/"));
}

export function mqttClientIdAllowed(p: Principal, clientId: string): boolean {
  if (isAdmin(p)) return true;
  return clientId === p.subject || clientId.startsWith(`${p.subject}/`);
}
