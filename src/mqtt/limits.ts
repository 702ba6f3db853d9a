/**
 * Admission and timeouts for the MQTT listeners, around aedes's connection handler: at most
 * `maxConnections` sockets, at most `maxPendingPerAddress` per address that have not completed
 * CONNECT (aedes's `connectTimeout` closes those after a while), and sockets silent for
 * `idleTimeoutMs` in both directions are closed — a client with keepalive 0 that says nothing
 * would otherwise hold its descriptor forever (aedes enforces 1.5 × keepalive for the others).
 */
import type { Aedes, Client } from "aedes";
import type { Socket } from "node:net";
import { ConnectionGate } from "../limits/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";

export interface MqttConnectionLimits {
  maxConnections: number;
  maxPendingPerAddress: number;
  idleTimeoutMs: number;
}

export const defaultMqttLimits: MqttConnectionLimits = {
  maxConnections: 1024,
  maxPendingPerAddress: 64,
  idleTimeoutMs: 600_000,
};

export function limitConnections(
  aedes: Aedes,
  limits: MqttConnectionLimits,
  log: Logger,
  metrics: MetricsRegistry,
): (socket: Socket) => void {
  const gate = new ConnectionGate({ listener: "mqtt", ...limits, log, metrics });
  /** sockets admitted but not yet past CONNECT, with the address they count against */
  const pending = new Map<unknown, string>();
  aedes.on("client", (client: Client) => {
    const remote = pending.get(client.conn);
    if (remote === undefined) return;
    pending.delete(client.conn);
    gate.established(remote);
  });
  return (socket) => {
    const remote = socket.remoteAddress ?? "unknown";
    if (gate.admit(remote)) return void socket.destroy();
    pending.set(socket, remote);
    socket.once("close", () => {
      gate.closed(remote, !pending.delete(socket));
    });
    socket.setTimeout(limits.idleTimeoutMs, () => {
      gate.drop("idle");
      log.debug("closing idle mqtt connection", { remote });
      socket.destroy();
    });
    aedes.handle(socket);
  };
}
