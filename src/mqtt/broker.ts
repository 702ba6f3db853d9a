/**
 * The embedded MQTT broker (aedes: MQTT 3.1.1 and 5) on a TCP port. Extension goes through
 * aedes's named hooks — authenticate, authorizePublish — never by patching it.
 */
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from "aedes";
import { createServer, type Server } from "node:net";
import type { Logger } from "../log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { guardSocket } from "./packet-size-guard.ts";

export interface MqttBrokerOptions {
  host: string;
  port: number;
  log: Logger;
  metrics: MetricsRegistry;
  /** packets announcing more than this are refused before they are buffered */
  maxPacketBytes?: number;
  /** protected mode: username/password check; undefined = open */
  authenticate?: (username: string | undefined, password: string | undefined) => boolean;
  /** may this client publish to this topic? (after authenticate) */
  allowPublish?: (username: string | undefined, topic: string) => boolean;
  /** sees every client PUBLISH; the PUBACK waits until it resolves (at-least-once) */
  onPublish?: (packet: PublishPacket, client: Client) => Promise<void>;
}

export interface MqttBroker {
  port: number;
  aedes: Aedes;
  clients(): number;
  publish(
    topic: string,
    payload: string | Buffer,
    opts: { qos: 0 | 1; retain: boolean },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startMqttBroker(opts: MqttBrokerOptions): Promise<MqttBroker> {
  const aedes = await Aedes.createBroker();
  const usernames = new WeakMap<Client, string | undefined>();
  const messagesIn = opts.metrics.counter(
    "iot_mqtt_messages_in_total",
    "MQTT PUBLISH packets from clients",
  );
  const refused = opts.metrics.counter(
    "iot_mqtt_refused_total",
    "MQTT connections or publishes refused",
  );

  aedes.authenticate = (client, username, password, done) => {
    usernames.set(client, username);
    if (!opts.authenticate || opts.authenticate(username, password?.toString()))
      return done(null, true);
    refused.inc({ reason: "authentication" });
    const err = new Error("bad username or password") as AuthenticateError;
    err.returnCode = 4;
    done(err, false);
  };
  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // broker-internal (will messages of the broker itself)
    if (packet.topic.startsWith("$SYS")) return done(new Error("$SYS is read-only"));
    if (opts.allowPublish && !opts.allowPublish(usernames.get(client), packet.topic)) {
      refused.inc({ reason: "topic not allowed" });
      return done(new Error(`not allowed to publish to ${packet.topic}`));
    }
    messagesIn.inc();
    if (!opts.onPublish) return done(null);
    opts.onPublish(packet as PublishPacket, client).then(
      () => done(null),
      (e) => {
        // No PUBACK: the client keeps the message and sends it again after reconnecting.
        opts.log.warn("publish not accepted", { topic: packet.topic, err: e });
        client.close();
      },
    );
  };

  const maxPacketBytes = opts.maxPacketBytes ?? 16 << 20;
  const server: Server = createServer((socket) => {
    const stream = guardSocket(socket, maxPacketBytes, () => {
      refused.inc({ reason: "packet too large" });
      opts.log.warn("mqtt packet over the size limit; connection closed", {
        remote: socket.remoteAddress,
        maxPacketBytes,
      });
    });
    aedes.handle(stream as never);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, opts.host, () => resolve());
    });
  } catch (e) {
    await new Promise<void>((resolve) => aedes.close(() => resolve())); // its timers would keep us alive
    throw e;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  opts.metrics.collect("iot_mqtt_clients", "connected MQTT clients", () => [
    { value: aedes.connectedClients },
  ]);
  opts.log.info("mqtt broker listening", { host: opts.host, port });

  return {
    port,
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
