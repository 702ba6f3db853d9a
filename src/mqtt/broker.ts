/**
 * The embedded MQTT broker (aedes: MQTT 3.1.1 and 5) on a TCP port. Extension goes through
 * aedes's named hooks — authenticate, authorizePublish, authorizeSubscribe — never by patching
 * it. In protected mode `authenticate` names each client's principal (P), which the other
 * checks are asked about.
 */
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from "aedes";
import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { isDiskError } from "../core/disk/errors.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { rememberingTopicNameCheck, topicFilterProblem, topicNameProblem } from "./topic-check.ts";
import { DurablePersistence } from "./persistence/durable.ts";
import type { EvictReason } from "./persistence/retained.ts";
import { coalesceWrites } from "./coalesce-writes.ts";
import { decodeHotPacketsFirst, type MqttPacketParser } from "./hot-packets.ts";
import { defaultMqttLimits, limitConnections, type MqttConnectionLimits } from "./limits.ts";
import { readAhead, type AedesReadLoop, type ReadAheadLimits } from "./read-ahead.ts";

export interface MqttBrokerOptions<P = unknown> {
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
  /**
   * Where retained messages, persistent sessions' subscriptions and their queued QoS 1/2
   * packets are journalled so they survive a restart. Without it they live in memory only.
   */
  stateDir?: string;
  /** all retained messages together may take this many bytes (default 64 MiB); oldest evicted */
  maxRetainedBytes?: number;
  /** the retained messages under one prefix, `iot/<device id>` (default 1 MiB); oldest evicted */
  maxRetainedBytesPerPrefix?: number;
  /** packets queued for one persistent session (default 1000); oldest unsent dropped */
  maxQueuedPerSession?: number;
  /** connection caps and idle timeout, for the TCP and TLS ports together (limits.ts) */
  limits?: Partial<MqttConnectionLimits>;
  /** how much of one connection may be in flight while its next packets are read (read-ahead.ts) */
  readAhead?: ReadAheadLimits;
  /** close sockets that have not sent CONNECT by then (aedes `connectTimeout`; default 10 s) */
  connectTimeoutMs?: number;
  /** MQTT over TLS on a second port (the same broker, the same hooks) */
  tls?: { port: number; cert: string; key: string };
  /**
   * protected mode: who this client is, or null to refuse it ("bad user name or password").
   * Undefined = open: every client may do anything, and the checks below are not asked.
   */
  authenticate?: (
    username: string | undefined,
    password: string | undefined,
  ) => P | null | Promise<P | null>;
  /** may it use this client id? (no: CONNACK "identifier rejected"; nobody is taken over) */
  allowClientId?: (principal: P, clientId: string) => boolean;
  /** may it publish to this topic? (no: v5 PUBACK 0x87, v3 the connection is closed) */
  allowPublish?: (principal: P, topic: string) => boolean;
  /** may it subscribe to this filter? (no: SUBACK 0x80, v5 0x87 — refused, never narrowed) */
  allowSubscribe?: (principal: P, filter: string) => boolean;
  /**
   * sees every client PUBLISH; the PUBACK waits until it calls `done` (at-least-once). A callback,
   * not a promise: it runs for every message, and a promise and its reactions per message were
   * a visible share of the broker's time. `done(err)`: no PUBACK, the connection is closed.
   */
  onPublish?: (packet: PublishPacket, client: Client, done: (err?: unknown) => void) => void;
}

export interface MqttBroker<P = unknown> {
  port: number;
  /** the MQTTS port, when `tls` was given */
  tlsPort?: number;
  aedes: Aedes;
  clients(): number;
  /** closes the connections whose principal matches (a revoked token); how many it closed */
  disconnectWhere(match: (principal: P) => boolean): number;
  /** a message from the broker itself (device commands), e.g. retained QoS 1 */
  publish(
    topic: string,
    payload: string | Buffer,
    opts: { qos: 0 | 1; retain: boolean },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startMqttBroker<P>(opts: MqttBrokerOptions<P>): Promise<MqttBroker<P>> {
  const { log, metrics } = opts;
  const maxPacketBytes = opts.maxPacketBytes ?? 16 << 20;
  const persistence = startPersistence(opts);
  const aedes = await Aedes.createBroker({
    maximumPacketSize: maxPacketBytes,
    connectTimeout: opts.connectTimeoutMs ?? 10_000,
    persistence,
  });
  const admit = limitConnections(aedes, { ...defaultMqttLimits, ...opts.limits }, log, metrics);
  // an aedes or mqtt-packet upgrade changed what hot-packets.ts or read-ahead.ts relies on
  const unexpected = new Set<string>();
  const fallBack = (what: string) => {
    if (unexpected.has(what)) return;
    unexpected.add(what);
    log.warn(`mqtt: aedes's client is not the one expected; ${what}`);
  };
  const handle = (socket: Socket) => {
    coalesceWrites(socket);
    admit(socket);
    // aedes made the client (unless refused): its PUBLISH and PUBACK are decoded first by us,
    // and its next packets read while earlier ones wait to be durable
    const client = (socket as { client?: AedesReadLoop & { _parser: MqttPacketParser } }).client;
    if (!client) return;
    if (!decodeHotPacketsFirst(client._parser)) fallBack("every packet parsed by mqtt-packet");
    if (!readAhead(client, opts.readAhead)) fallBack("no packet read ahead");
  };
  const principals = new WeakMap<Client, P>();
  const ended = new WeakSet<Client>(); // told to go (a revoked token): nothing more from them
  const live = new Set<Client>();
  aedes.on("client", (c) => void live.add(c));
  aedes.on("clientDisconnect", (c) => void live.delete(c));
  const messagesIn = metrics
    .counter("iot_mqtt_messages_in_total", "PUBLISH packets from clients")
    .series();
  const bytesIn = metrics
    .counter("iot_mqtt_bytes_in_total", "PUBLISH payload bytes from clients")
    .series();
  const refused = metrics.counter("iot_mqtt_refused_total", "connections or publishes refused");
  metrics.collect("iot_mqtt_clients", "connected MQTT clients", () => [
    { value: aedes.connectedClients },
  ]);

  const refuse = (done: (e: AuthenticateError, ok: false) => void, why: string, code: 2 | 4) => {
    refused.inc({ reason: why });
    const err = new Error(why) as AuthenticateError;
    err.returnCode = code; // [MQTT-3.2.2-4] 2 "identifier rejected", 4 "bad user name or password"
    done(err, false);
  };
  aedes.authenticate = (client, username, password, done) => {
    if (!opts.authenticate) return done(null, true);
    const checked = opts.authenticate(username, password?.toString());
    if (checked instanceof Promise)
      // the tokens may be in PostgreSQL: a store that cannot answer refuses the login
      return void checked.then(admit, (err) => {
        log.warn("mqtt login not checked: the store did not answer", { err });
        refuse(done, "authentication", 4);
      });
    admit(checked);
    function admit(principal: P | null) {
      if (principal === null) return refuse(done, "authentication", 4);
      // before aedes registers the client: a refused id takes over nobody's session
      if (opts.allowClientId && !opts.allowClientId(principal, client.id)) {
        log.warn("mqtt client id refused", { username, clientId: client.id });
        return refuse(done, "client id not allowed", 2);
      }
      principals.set(client, principal);
      done(null, true);
    }
  };
  aedes.authorizeSubscribe = (client, sub, done) => {
    // a malformed filter is a protocol error: that client is closed
    const badFilter = topicFilterProblem(sub.topic);
    if (badFilter) {
      refused.inc({ reason: "bad topic" });
      log.warn("mqtt subscribe refused; connection closed", {
        clientId: client?.id,
        why: badFilter,
      });
      return done(new Error(badFilter));
    }
    if (ended.has(client)) return done(null, null);
    const principal = principals.get(client);
    if (
      principal === undefined ||
      !opts.allowSubscribe ||
      opts.allowSubscribe(principal, sub.topic)
    )
      return done(null, sub);
    refused.inc({ reason: "subscription not allowed" });
    log.debug("mqtt subscription refused", { clientId: client.id, filter: sub.topic });
    done(null, null); // aedes answers SUBACK 0x80 (v5 0x87) for this filter
  };
  const publishTopicProblem = rememberingTopicNameCheck();
  aedes.authorizePublish = (client, packet, done) => {
    // before anything is stored: one bad retained topic would cut off every `#` subscriber
    const badTopic = publishTopicProblem(packet.topic);
    if (badTopic) {
      refused.inc({ reason: "bad topic" });
      log.warn("mqtt publish refused; connection closed", { clientId: client?.id, why: badTopic });
      return done(new Error(badTopic));
    }
    if (!client) return done(null); // the broker's own messages (wills)
    if (packet.topic.startsWith("$")) return done(new Error("$ topics are read-only"));
    if (ended.has(client)) return done(new Error("session ended"));
    const principal = principals.get(client);
    if (
      principal !== undefined &&
      opts.allowPublish &&
      !opts.allowPublish(principal, packet.topic)
    ) {
      refused.inc({ reason: "topic not allowed" });
      return done(new Error(`not allowed to publish to ${packet.topic}`));
    }
    messagesIn.inc();
    bytesIn.inc(packet.payload.length);
    if (!opts.onPublish) return done(null);
    opts.onPublish(packet as PublishPacket, client, (err) => {
      if (err === undefined || err === null) return done(null);
      // No PUBACK: the client keeps the message and sends it again after reconnecting.
      // a full disk is logged once by the disk watch, not once per message
      (isDiskError(err) ? log.debug : log.warn)("publish not accepted; closing the connection", {
        topic: packet.topic,
        err,
      });
      client.close();
    });
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
    await persistence.destroy();
    throw e;
  }
  const [port, tlsPort] = servers.map(portOf);
  log.info("mqtt broker listening", { host: opts.host, port, tlsPort, maxPacketBytes });

  return {
    port: port!,
    tlsPort,
    aedes,
    clients: () => aedes.connectedClients,
    disconnectWhere: (match) => {
      let closed = 0;
      for (const client of live) {
        const principal = principals.get(client);
        if (principal === undefined || ended.has(client) || !match(principal)) continue;
        ended.add(client);
        live.delete(client);
        client.close();
        closed++;
      }
      return closed;
    },
    publish: (topic, payload, { qos, retain }) =>
      new Promise((resolve, reject) => {
        const badTopic = topicNameProblem(topic);
        if (badTopic) return reject(new Error(badTopic));
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
        );
      }),
    stop: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all(
        servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      );
      await persistence.destroy();
    },
  };
}

/** The broker's state, in `stateDir` when given, with its budgets counted in /metrics. */
function startPersistence<P>(opts: MqttBrokerOptions<P>): DurablePersistence {
  const { log, metrics } = opts;
  const evicted = metrics.counter(
    "iot_mqtt_retained_evicted_total",
    "retained messages dropped to stay within the retained-bytes budgets, by reason",
  );
  const dropped = metrics.counter(
    "iot_mqtt_session_queue_dropped_total",
    "packets dropped from a full persistent-session queue (the oldest unsent)",
  );
  // one warning per budget and per minute, not one per message of a flood
  const lastWarned = new Map<string, number>();
  const warn = (what: string, detail: Record<string, unknown>) => {
    const now = Date.now();
    if (now - (lastWarned.get(what) ?? 0) < 60_000) return;
    lastWarned.set(what, now);
    log.warn(what, detail);
  };
  const limits = {
    maxBytes: opts.maxRetainedBytes ?? 64 << 20,
    maxBytesPerPrefix: opts.maxRetainedBytesPerPrefix ?? 1 << 20,
  };
  const persistence = new DurablePersistence({
    dir: opts.stateDir,
    retained: limits,
    maxQueuedPerSession: opts.maxQueuedPerSession ?? 1000,
    onRetainedEvicted: (topic: string, reason: EvictReason) => {
      evicted.inc({ reason });
      warn("retained messages evicted: over the retained budget", { reason, topic, ...limits });
    },
    onQueueDropped: (clientId: string) => {
      dropped.inc();
      warn("persistent session queue full: oldest unsent packets dropped", { clientId });
    },
    onError: (err: unknown) => log.error("mqtt state journal", { err }),
  });
  metrics.collect("iot_mqtt_retained_bytes", "bytes charged to retained messages", () => [
    { value: persistence.retained.bytes },
  ]);
  metrics.collect("iot_mqtt_retained_messages", "retained messages held", () => [
    { value: persistence.retained.size },
  ]);
  metrics.collect("iot_mqtt_session_queued", "packets queued for persistent sessions", () => [
    { value: persistence.queuedPackets },
  ]);
  return persistence;
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
