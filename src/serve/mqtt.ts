import type { Kafka } from "kafkajs";
import mqtt from "mqtt";
import { devicePublishAllowed, INTERNAL_USER, verifyToken } from "../auth/index.ts";
import {
  connectExternal,
  defaultRules,
  embeddedPublishHook,
  loadBridgeRules,
  startBridge,
} from "../bridge/index.ts";
import type { Commands } from "../http/routes/collector.ts";
import { startMqttBroker } from "../mqtt/index.ts";
import { runs, type ServeContext } from "./components.ts";

/**
 * MQTT: the embedded broker with the bridge in its publish hook, or — with `--mqtt-url` — a
 * bridge subscribed to the external broker. Returns how to send device commands.
 */
export async function startMqttSide(ctx: ServeContext, kafka: Kafka): Promise<Commands> {
  const { opts, log, metrics, health, onStop, security, db, tls } = ctx;
  const internal = (user: string | undefined, password: string | undefined) =>
    user === INTERNAL_USER && password === security.secret;
  const brokers = runs(opts, "brokers");
  const rules = opts.bridgeRules ? loadBridgeRules(opts.bridgeRules) : defaultRules;
  const bridge = brokers
    ? await startBridge({
        kafka,
        dataDir: opts.dataDir,
        log: log.child("bridge"),
        metrics,
        rules,
        // room for the batch and request framing around one record
        maxRecordBytes: opts.kafkaMaxMessageBytes - 16 * 1024,
        disk: ctx.disk,
      })
    : null;
  if (bridge) {
    onStop("bridge", () => bridge.stop());
    health.register("bridge", () => bridge.health());
  }

  if (opts.mqttUrl) {
    if (bridge) {
      const client = await connectExternal(opts.mqttUrl, bridge, log.child("bridge"), rules);
      onStop("mqtt-bridge", () => client.endAsync());
    }
    health.register("mqtt", () => ({
      state: "external",
      detail: { url: opts.mqttUrl, spooled: bridge?.spooled() },
    }));
    return commandsOver(opts.mqttUrl, ctx);
  }
  if (!brokers) {
    health.register("mqtt", () => ({
      state: "external",
      detail: { url: `mqtt://127.0.0.1:${opts.mqttPort}` },
    }));
    return commandsOver(`mqtt://127.0.0.1:${opts.mqttPort}`, ctx);
  }
  const broker = await startMqttBroker({
    host: opts.host,
    port: opts.mqttPort,
    tls: tls ? { ...tls, port: opts.mqttsPort } : undefined,
    maxPacketBytes: opts.mqttMaxPacketBytes,
    connectTimeoutMs: opts.handshakeTimeoutSeconds * 1000,
    limits: {
      maxConnections: ctx.caps.mqtt,
      maxPendingPerAddress: opts.maxPendingPerAddress,
      idleTimeoutMs: opts.idleTimeoutSeconds * 1000,
    },
    log: log.child("mqtt"),
    metrics,
    // protected mode: a device logs in with its id and token, and publishes under iot/<id>/ only
    authenticate: security.required
      ? (user, password) => internal(user, password) || !!verifyToken(db, "device", password, user)
      : undefined,
    allowPublish: security.required
      ? (user, topic) => user === INTERNAL_USER || devicePublishAllowed(user, topic)
      : undefined,
    onPublish: embeddedPublishHook(bridge!, log.child("bridge")),
  });
  onStop("mqtt", () => broker.stop());
  health.register("mqtt", () => ({
    state: "up",
    detail: {
      port: broker.port,
      tlsPort: broker.tlsPort,
      clients: broker.clients(),
      spooled: bridge!.spooled(),
    },
  }));
  return {
    send: (id, status) => broker.publish(`iot/${id}/command`, status, { qos: 1, retain: true }),
  };
}

/** Commands through a client of a broker this process does not run. */
function commandsOver(url: string, { log, onStop }: ServeContext): Commands {
  const client = mqtt.connect(url, {
    clientId: `iot-commands-${process.pid}`,
    reconnectPeriod: 1000,
  });
  client.on("error", (e) => log.warn("mqtt command client", { err: e }));
  onStop("mqtt-commands", () => client.endAsync());
  return {
    send: async (id, status) => {
      await client.publishAsync(`iot/${id}/command`, status, { qos: 1, retain: true });
    },
  };
}
