/**
 * The agent over MQTT 5: clientId = username = device id, password = token. Readings and
 * images at QoS 1 (several in flight, the broker keeps their order) with `msg_id` user
 * properties; video at QoS 0; a retained status with a Last Will; commands from the retained
 * `iot/<id>/command`.
 */
import { readFileSync } from "node:fs";
import mqtt, { type IClientOptions } from "mqtt";
import { withoutNumberCache } from "../../src/core/mqtt-packet/number-cache.ts";
import { parseCommand } from "../state.ts";
import { telemetryJson, within, type Transport, type TransportOptions } from "./types.ts";

export interface MqttTransportOptions extends TransportOptions {
  url: string;
  /** PEM file of the CA for mqtts:// */
  ca?: string;
  /** ms a batch may wait for its acknowledgements; default 30 s */
  ackTimeoutMs?: number;
}

/** PUBACK reason codes no retry can change: not authorized, bad topic, too large, bad payload. */
const permanentRefusals = new Set([0x87, 0x90, 0x95, 0x99]);

/** Frames queued on the socket past this are not sent (video must not grow memory). */
const videoBacklogBytes = 512 * 1024;

export function createMqttTransport(opts: MqttTransportOptions): Transport {
  const { id, log } = opts;
  withoutNumberCache(); // mqtt.js's writer would keep 65,536 small buffers: ~5 MB of the Pi's RAM
  const topic = (leaf: string) => `iot/${id}/${leaf}`;
  const offline = JSON.stringify({ status: "offline" });
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: id,
    username: id,
    password: opts.token || undefined,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    queueQoSZero: false,
    will: { topic: topic("status"), payload: Buffer.from(offline), qos: 1, retain: true },
    ...(opts.ca ? { ca: readFileSync(opts.ca) } : {}),
  };
  // host and port, not the URL string: mqtt.js would parse that with the deprecated url.parse()
  const url = new URL(opts.url);
  const protocol = url.protocol === "mqtts:" ? "mqtts" : "mqtt";
  const client = mqtt.connect({
    ...options,
    protocol,
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: Number(url.port || (protocol === "mqtts" ? 8883 : 1883)),
  });
  const waiters: Array<() => void> = [];
  let lastError = "";

  client.on("connect", () => {
    lastError = "";
    log.info("connected", { server: opts.url });
    client.subscribe(topic("command"), { qos: 1 }, (err) => {
      if (err) log.warn("cannot subscribe to commands", { err });
    });
    opts.onConnect();
    for (const wake of waiters.splice(0)) wake();
  });
  client.on("message", (t, payload) => {
    if (t !== topic("command")) return;
    const status = parseCommand(payload);
    if (status) opts.onCommand(status);
    else
      log.warn("ignored a command that is neither Active nor Inactive", {
        payload: payload.toString().slice(0, 80),
      });
  });
  client.on("error", (err) => {
    const code = (err as { code?: number }).code;
    const refused = code === 134 || code === 135 || code === 4 || code === 5;
    const message = refused
      ? `the server refused the login as '${id}': ${err.message} (check --id and --token)`
      : `connection to ${opts.url} failed: ${err.message}`;
    if (message !== lastError) log.error(message); // once per distinct failure, not every retry
    lastError = message;
  });
  let wasConnected = false;
  client.on("connect", () => (wasConnected = true));
  client.on("close", () => {
    if (wasConnected) log.info("disconnected; retrying", { server: opts.url });
    wasConnected = false;
  });

  const publish = (
    t: string,
    payload: Buffer | string,
    props: Record<string, string>,
    retain = false,
  ) =>
    client.publishAsync(t, payload, {
      qos: 1,
      retain,
      // an empty userProperties object makes the packet unacknowledged (seen with aedes)
      ...(Object.keys(props).length > 0 ? { properties: { userProperties: props } } : {}),
    });

  return {
    name: `mqtt ${opts.url}`,
    async send(batch) {
      const acks = batch.map((m) =>
        (m.kind === "telemetry"
          ? publish(topic("telemetry"), telemetryJson(m), { msg_id: m.msgId })
          : publish(topic("image"), m.payload, { msg_id: m.msgId, ...m.headers })
        ).catch((err: unknown) => {
          // a refusal that no retry can change must not block the outbox behind it forever
          const code = (err as { code?: number }).code;
          if (typeof code !== "number" || !permanentRefusals.has(code)) throw err;
          log.error("the server refused a message; dropped", {
            msgId: m.msgId,
            kind: m.kind,
            reason: `0x${code.toString(16)} ${(err as Error).message}`,
          });
        }),
      );
      await within(Promise.all(acks), opts.ackTimeoutMs ?? 30_000, "mqtt publish");
    },
    video(frame) {
      if (!client.connected) return;
      const socket = client.stream as unknown as { writableLength?: number } | undefined;
      if ((socket?.writableLength ?? 0) > videoBacklogBytes) return;
      client.publish(topic("video"), frame, { qos: 0 });
    },
    async status(status, extra = {}) {
      await within(
        publish(topic("status"), JSON.stringify({ status, ...extra }), {}, true),
        10_000,
        "mqtt status",
      );
    },
    connected: () => client.connected,
    whenConnected: () =>
      client.connected ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)),
    async close() {
      if (client.connected) {
        try {
          await within(publish(topic("status"), offline, {}, true), 5000, "mqtt offline status");
        } catch (err) {
          log.warn("could not publish offline", { err });
        }
      }
      await client.endAsync(true).catch(() => {});
      for (const wake of waiters.splice(0)) wake();
    },
  };
}
