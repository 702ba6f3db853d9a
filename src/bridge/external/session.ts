/**
 * One MQTT 5 connection of the bridge to an external broker, from CONNECT to close: a persistent
 * session (fixed client id, no clean start, long session expiry) that subscribes to the bridge's
 * filters at QoS 1 and hands each PUBLISH to `onMessage` as it arrives — many at once, up to the
 * Receive Maximum announced at CONNECT, which the broker must honour [MQTT-3.3.4-9] (and the
 * receive window enforces, as Mosquitto 2.0.11 overshoots it). PUBACKs go out in arrival order
 * through the in-order acker; a message that could not be handled closes the connection, so the
 * broker delivers it and everything after it again.
 */
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import mqttPacket, { type Packet, type IPublishPacket } from "mqtt-packet";
import type { Logger } from "../../core/log/index.ts";
import type { UserProperties } from "../identity.ts";
import type { BrokerAddress } from "./broker-url.ts";
import { InOrderAcker } from "./in-order-acker.ts";
import { ReceiveWindow } from "./receive-window.ts";

export interface SessionOptions {
  address: BrokerAddress;
  clientId: string;
  sessionExpirySeconds: number;
  /** QoS 1 messages the broker may have unacknowledged with us at once */
  receiveMaximum: number;
  keepaliveSeconds: number;
  filters: readonly string[];
  /** extra TLS options (a private CA, …) for mqtts:// */
  tls?: ConnectionOptions;
  onMessage: (topic: string, payload: Buffer, props?: UserProperties) => Promise<void>;
  log: Logger;
}

export interface Session {
  /** settles when the connection is gone, with why (undefined after a clean `end`) */
  closed: Promise<Error | undefined>;
  /** stop reading, ack what is being handled, DISCONNECT; `force` just drops the socket */
  end(force?: boolean): Promise<void>;
}

const v5 = { protocolVersion: 5 };
/** how long a clean end waits for messages being handled before it drops the socket */
const endGraceMs = 10_000;

/** Resolves once the broker accepted the session and the subscriptions. */
export function openSession(opts: SessionOptions): Promise<Session> {
  const { address, log } = opts;
  const socket: Socket = address.tls
    ? tlsConnect({ host: address.host, port: address.port, servername: address.host, ...opts.tls })
    : tcpConnect({ host: address.host, port: address.port });
  socket.setNoDelay(true);
  const send = (p: Packet) => socket.write(mqttPacket.generate(p, v5));
  const parser = mqttPacket.parser(v5);
  let failure: Error | undefined;
  /** no more PUBLISHes are taken: `end()` or `drop()` is under way */
  let ending = false;
  let cleanEnd = false;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  /** close after the PUBACKs already written (the broker must see those), then read no more */
  const drop = (err?: Error) => {
    failure ??= err;
    ending = true;
    socket.resume();
    socket.end();
    setTimeout(() => socket.destroy(), endGraceMs).unref(); // a peer that never closes
  };

  const acker = new InOrderAcker({
    ack: (ids) => {
      const pubacks = ids.map((messageId) => mqttPacket.generate({ cmd: "puback", messageId }, v5));
      socket.write(Buffer.concat(pubacks));
      if (!ending) window.drain();
    },
    onFail: (err, id) => {
      log.warn("external bridge: message not stored; reconnecting for redelivery", { id, err });
      drop(new Error("a message could not be stored", { cause: err }));
    },
  });

  const closed = new Promise<Error | undefined>((resolve) =>
    socket.once("close", () => {
      clearInterval(keepalive);
      acker.stop();
      resolve(cleanEnd && !failure ? undefined : (failure ?? new Error("connection closed")));
    }),
  );
  socket.on("error", (err) => (failure ??= err));
  socket.on("data", (chunk: Buffer) => parser.parse(chunk));
  parser.on("error", (err: Error) => drop(err));
  socket.once(address.tls ? "secureConnect" : "connect", () =>
    send({
      cmd: "connect",
      protocolVersion: 5,
      clientId: opts.clientId,
      clean: false,
      keepalive: opts.keepaliveSeconds,
      username: address.username,
      password: address.password === undefined ? undefined : Buffer.from(address.password),
      properties: {
        sessionExpiryInterval: opts.sessionExpirySeconds,
        receiveMaximum: opts.receiveMaximum,
      },
    }),
  );

  const handOn = (p: IPublishPacket) => {
    // we subscribe at QoS 1, so the broker never sends QoS 2
    if (p.qos === 2 || (p.qos === 1 && p.messageId === undefined))
      return drop(new Error("a PUBLISH at QoS 2 or without a packet id"));
    const payload = typeof p.payload === "string" ? Buffer.from(p.payload) : p.payload;
    let handled: Promise<void>;
    try {
      handled = opts.onMessage(p.topic, payload, p.properties?.userProperties);
    } catch (e) {
      handled = Promise.reject(e);
    }
    if (p.qos === 0) {
      handled.catch((err) => log.warn("QoS 0 message lost", { topic: p.topic, err }));
      return;
    }
    acker.track(p.messageId!, handled);
  };
  const window = new ReceiveWindow<IPublishPacket>({
    max: opts.receiveMaximum,
    inFlight: () => acker.inFlight,
    start: handOn,
    reading: (on) => void (on ? socket.resume() : socket.pause()),
  });
  // not acked when ending or dropping: the broker delivers it again next session
  const onPublish = (p: IPublishPacket) => void (ending || window.receive(p));

  return new Promise<Session>((resolve, reject) => {
    let waitingPong = false;
    const startKeepalive = (seconds: number) => {
      if (seconds <= 0) return;
      keepalive = setInterval(() => {
        if (waitingPong) return drop(new Error(`no PINGRESP within ${seconds} s`));
        waitingPong = true;
        send({ cmd: "pingreq" });
      }, seconds * 1000);
    };
    const session: Session = {
      closed,
      async end(force = false) {
        ending = cleanEnd = true;
        window.clear();
        if (!force && !socket.destroyed) {
          socket.pause(); // no more PUBLISHes; those being handled are still acked
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            acker.idle(),
            new Promise((r) => (timer = setTimeout(r, endGraceMs))),
          ]).finally(() => clearTimeout(timer));
          if (!socket.destroyed) send({ cmd: "disconnect", reasonCode: 0 });
          socket.resume(); // read on to the broker's close (PUBLISHes are ignored now)
          socket.end();
        } else socket.destroy();
        await closed;
      },
    };
    void closed.then((err) => reject(err ?? new Error("closed before CONNACK")));
    parser.on("packet", (p: Packet) => {
      switch (p.cmd) {
        case "publish":
          return onPublish(p);
        case "pingresp":
          waitingPong = false;
          return;
        case "connack": {
          const code = p.reasonCode ?? p.returnCode ?? 0;
          if (code !== 0) return drop(new Error(`broker refused the connection: reason ${code}`));
          startKeepalive(p.properties?.serverKeepAlive ?? opts.keepaliveSeconds);
          // again on every connect: cheap, and right even if the broker lost the session
          const subscriptions = opts.filters.map((topic) => ({ topic, qos: 1 as const }));
          send({ cmd: "subscribe", messageId: 1, subscriptions });
          return;
        }
        case "suback": {
          const refused = (p.granted as number[]).findIndex((g) => g >= 0x80);
          if (refused >= 0)
            return drop(new Error(`broker refused subscribing to ${opts.filters[refused]}`));
          return resolve(session);
        }
        case "disconnect":
          return drop(new Error(`broker disconnected us: reason ${p.reasonCode ?? 0}`));
      }
    });
  });
}
