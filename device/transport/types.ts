import type { OutboxMessage } from "../outbox/index.ts";
import type { DeviceStatus } from "../state.ts";

/** How the agent reaches the server: MQTT (the default) or Kafka directly. */
export interface Transport {
  readonly name: string;
  /** Resolves once the server acknowledged every message of the batch; rejects if it could not. */
  send(batch: readonly OutboxMessage[]): Promise<void>;
  /** Best effort: a frame is dropped while offline or while earlier frames are still queued. */
  video(frame: Buffer): void;
  /** The device's retained status (`online`, `Inactive`, …), with extra fields if given. */
  status(status: string, extra?: Record<string, unknown>): Promise<void>;
  connected(): boolean;
  /** Resolves when (re)connected; at once if connected. */
  whenConnected(): Promise<void>;
  /** Publishes `offline`, then disconnects. */
  close(): Promise<void>;
}

export interface TransportOptions {
  id: string;
  token: string;
  log: import("../../src/core/log/index.ts").Logger;
  /** a command from the server (retained, so also at every connect) */
  onCommand: (status: DeviceStatus) => void;
  /** called at every (re)connect, to announce the current state */
  onConnect: () => void;
}

/** The JSON sent for a telemetry message: the stored reading with its message id first. */
export function telemetryJson(m: OutboxMessage): Buffer {
  const reading = JSON.parse(m.payload.toString("utf8")) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ msg_id: m.msgId, ...reading }));
}

/** Rejects after `ms` unless `p` settles first. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no acknowledgement in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
