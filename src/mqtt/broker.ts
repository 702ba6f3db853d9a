/**
 * The embedded MQTT broker (aedes: MQTT 3.1.1 and 5) on a TCP port. Extension goes through
 * aedes's named hooks — authenticate, authorizePublish — never by patching it.
 */
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from "aedes";
import { createServer, type Server } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { isDiskError } from "../disk/errors.ts";
import type { Logger } from "../log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { defaultMqttLimits, limitConnections, type MqttConnectionLimits } from "./limits.ts";

export interface MqttBrokerOptions {
  host: string;
  port: number;
  log: Logger;
  metrics: MetricsRegistry;
  /**
   * Packets larger than this (default 16 MiB) are refused as soon as their fixed header
   * announces it, before the body is buffered (aedes `maximumPacketSize`, also advertised to
   * MQTT 5 clients in the CONNACK).
   */
  maxPacketBytes?: number;
  /** connection caps and idle timeout, for the TCP and TLS ports together (limits.ts) */
  limits?: Partial<MqttConnectionLimits>;
  /** close sockets that have not sent CONNECT by then (aedes `connectTimeout`; default 10 s) */
  connectTimeoutMs?: number;
  /** MQTT over TLS on a second port (the same broker, the same hooks) */
  tls?: { port: number; cert: string; key: string };
  /** protected mode: may this client connect? undefined = open */
  authenticate?: (
    username: string | undefined,
    password: string | undefined,
    client: Client,
  ) => boolean;
  /** may this client publish to this topic? (after authenticate; undefined = anything) */
  allowPublish?: (username: string | undefined, topic: string, client: Client) => boolean;
  /** sees every client PUBLISH; the PUBACK waits until it resolves (at-least-once) */
  onPublish?: (packet: PublishPacket, client: Client) => Promise<void>;
}

export interface MqttBroker {
  port: number;
  /** the MQTTS port, when `tls` was given */
  tlsPort?: number;
  aedes: Aedes;
  clients(): number;
  /** a message from the broker itself (device commands), e.g. retained QoS 1 */
  publish(
    topic: string,
    payload: string | Buffer,
    opts: { qos: 0 | 1; retain: boolean },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startMqttBroker(opts: MqttBrokerOptions): Promise<MqttBroker> {
  const { log, metrics } = opts;
  const maxPacketBytes = opts.maxPacketBytes ?? 16 << 20;
  const aedes = await Aedes.createBroker({
    maximumPacketSize: maxPacketBytes,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
  });
  const handle = limitConnections(aedes, { ...defaultMqttLimits, ...opts.limits }, log, metrics);
  const usernames = new WeakMap<Client, string | undefined>();
  const messagesIn = metrics.counter("iot_mqtt_messages_in_total", "PUBLISH packets from clients");
  const bytesIn = metrics.counter("iot_mqtt_bytes_in_total", "PUBLISH payload bytes from clients");
  const refused = metrics.counter("iot_mqtt_refused_total", "connections or publishes refused");
  metrics.collect("iot_mqtt_clients", "connected MQTT clients", () => [
    { value: aedes.connectedClients },
  ]);

  aedes.authenticate = (client, username, password, done) => {
    usernames.set(client, username);
    if (!opts.authenticate || opts.authenticate(username, password?.toString(), client))
      return done(null, true);
    refused.inc({ reason: "authentication" });
    const err = new Error("bad username or password") as AuthenticateError;
    err.returnCode = 4; // [MQTT-3.2.2-4] "bad user name or password"
    done(err, false);
  };
  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // the broker's own messages (wills)
    if (packet.topic.startsWith("$")) return done(new Error("$ topics are read-only"));
    if (opts.allowPublish && !opts.allowPublish(usernames.get(client), packet.topic, client)) {
      refused.inc({ reason: "topic not allowed" });
      return done(new Error(`not allowed to publish to ${packet.topic}`));
    }
    messagesIn.inc();
    bytesIn.inc(undefined, packet.payload.length);
    if (!opts.onPublish) return done(null);
    opts.onPublish(packet as PublishPacket, client).then(
      () => done(null),
      (err) => {
        // No PUBACK: the client keeps the message and sends it again after reconnecting.
        // a full disk is logged once by the disk watch, not once per message
        (isDiskError(err) ? log.debug : log.warn)("publish not accepted; closing the connection", {
          topic: packet.topic,
          err,
        });
        client.close();
      },
    );
  };
  const onClientError = (client: Client | null, err: Error) => {
    if (err.message === "packet too large") {
      refused.inc({ reason: "packet too large" });
      log.warn("mqtt packet over the size limit; connection closed", {
        clientId: client?.id,
        maxPacketBytes,
      });
    } else log.debug("mqtt client error", { clientId: client?.id, err });
  };
  aedes.on("clientError", onClientError);
  aedes.on("connectionError", onClientError);

  const servers: Server[] = [];
  try {
    servers.push(await listen(createServer(handle), opts.port, opts.host));
    if (opts.tls) {
      const { cert, key, port } = opts.tls;
      const handshakeTimeout = opts.connectTimeoutMs ?? 10_000;
      servers.push(
        await listen(createTlsServer({ cert, key, handshakeTimeout }, handle), port, opts.host),
      );
    }
  } catch (e) {
    for (const s of servers) s.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve())); // its timers keep us alive
    throw e;
  }
  const [port, tlsPort] = servers.map(portOf);
  log.info("mqtt broker listening", { host: opts.host, port, tlsPort, maxPacketBytes });

  return {
    port: port!,
    tlsPort,
    aedes,
    clients: () => aedes.connectedClients,
    publish: (topic, payload, { qos, retain }) =>
      new Promise((resolve, reject) =>
        aedes.publish(
          {
            cmd: "publish",
            topic,
            payload: Buffer.from(payload),
            qos,
            retain,
            dup: false,
          } as PublishPacket,
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    stop: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all(
        servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
    },
  };
}

function listen<T extends Server>(server: T, port: number, host: string): Promise<T> {
  return new Promise((resolve, reject) => {
    server.once("error", (e) => reject(Object.assign(e, { address: host, port })));
    server.listen(port, host, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}
