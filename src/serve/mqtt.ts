import type { KafkaBus } from "../bus/index.ts";
import { join } from "node:path";
import {
  internalPrincipal,
  INTERNAL_USER,
  isInternalLogin,
  mqttClientIdAllowed,
  mqttPublishAllowed,
  mqttSubscribeAllowed,
  tokenPrincipal,
  watchRevocations,
  type Principal,
} from "../auth/index.ts";
import {
  connectExternal,
  defaultRules,
  embeddedPublishHook,
  loadBridgeRules,
  startBridge,
} from "../bridge/index.ts";
import { withoutNumberCache } from "../core/mqtt-packet/number-cache.ts";
import type { Commands } from "../http/routes/collector.ts";
import { startMqttBroker } from "../mqtt/index.ts";
import { runs, type ServeContext } from "./components.ts";

/**
 * MQTT: the embedded broker with the bridge in its publish hook, or — with `--mqtt-url` — a
 * bridge subscribed to the external broker. Returns how to send device commands.
 */
/** Device commands, and a QoS 1 publish for iot's own messages (alert notifications). */
export interface MqttSide extends Commands {
  publish(topic: string, payload: string): Promise<void>;
}

export async function startMqttSide(ctx: ServeContext, kafka: KafkaBus): Promise<MqttSide> {
  const { opts, log, metrics, health, onStop, security, store, tls } = ctx;
  const brokers = runs(opts, "brokers");
  const rules = opts.bridgeRules ? loadBridgeRules(opts.bridgeRules) : defaultRules;
  withoutNumberCache(); // aedes's and mqtt.js's writer: ~5 MB of heap less
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
        fsyncGatherMs: opts.mqttFsyncGatherMs,
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
    return await commandsOver(opts.mqttUrl, ctx);
  }
  if (!brokers) {
    health.register("mqtt", () => ({
      state: "external",
      detail: { url: `mqtt://127.0.0.1:${opts.mqttPort}` },
    }));
    // our own broker in another process: in protected mode it wants iot's internal login
    const login = security.required
      ? { username: INTERNAL_USER, password: security.secret }
      : undefined;
    return await commandsOver(`mqtt://127.0.0.1:${opts.mqttPort}`, ctx, login);
  }
  const broker = await startMqttBroker<Principal>({
    host: opts.host,
    port: opts.mqttPort,
    tls: tls ? { ...tls, port: opts.mqttsPort } : undefined,
    maxPacketBytes: opts.mqttMaxPacketBytes,
    // retained commands and persistent sessions' queues survive a restart
    stateDir: join(opts.dataDir, "mqtt"),
    maxRetainedBytes: opts.mqttRetainedMaxBytes,
    maxRetainedBytesPerPrefix: opts.mqttRetainedMaxBytesPerDevice,
    maxQueuedPerSession: opts.mqttSessionMaxQueued,
    connectTimeoutMs: opts.handshakeTimeoutSeconds * 1000,
    limits: {
      maxConnections: ctx.caps.mqtt,
      maxPendingPerAddress: opts.maxPendingPerAddress,
      idleTimeoutMs: opts.idleTimeoutSeconds * 1000,
    },
    log: log.child("mqtt"),
    metrics,
    // protected mode: a device logs in with its id and token; what it may do, src/auth/mqtt-policy.ts
    authenticate: security.required
      ? (user, password) =>
          isInternalLogin(user, password, security.secret)
            ? internalPrincipal
            : tokenPrincipal(store, "device", user, password)
      : undefined,
    allowClientId: mqttClientIdAllowed,
    allowPublish: mqttPublishAllowed,
    allowSubscribe: mqttSubscribeAllowed,
    onPublish: embeddedPublishHook(bridge!, log.child("bridge")),
  });
  onStop("mqtt", () => broker.stop());
  if (security.required) {
    const revocations = watchRevocations({
      store,
      holders: [{ name: "mqtt", disconnectWhere: broker.disconnectWhere }],
      log,
    });
    onStop("mqtt-revocations", () => revocations.stop());
  }
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
    publish: (topic, payload) => broker.publish(topic, payload, { qos: 1, retain: false }),
  };
}

/**
 * Commands through a client of a broker this process does not run. mqtt.js (and its streams) is
 * loaded only here: a process running its own broker never needs it.
 */
async function commandsOver(
  url: string,
  { log, onStop }: ServeContext,
  login?: { username: string; password: string },
): Promise<MqttSide> {
  const { default: mqtt } = await import("mqtt");
  const client = mqtt.connect(url, {
    ...login,
    clientId: `iot-commands-${process.pid}`,
    reconnectPeriod: 1000,
  });
  client.on("error", (e) => log.warn("mqtt command client", { err: e }));
  onStop("mqtt-commands", () => client.endAsync());
  return {
    send: async (id, status) => {
      await client.publishAsync(`iot/${id}/command`, status, { qos: 1, retain: true });
    },
    publish: async (topic, payload) => {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
  };
}
