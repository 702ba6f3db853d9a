/**
 * At-least-once in, idempotent at the sink: every acknowledged reading is stored exactly once,
 * checked per message (each device-given `msg_id` once) —
 * - when the consumers process is killed (-9) mid-burst and restarted (Kafka redelivers);
 * - when the whole `iot serve` is killed (-9) mid-burst and restarted (devices resend what was
 *   not acknowledged yet, some of which Kafka already had);
 * - when the bridge's spool sends again records Kafka already accepted (a crash after Kafka's
 *   ack and before the spool remembered it — reproduced by restoring the spool files).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { kcatRead } from "../support/kcat.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-once-");
afterAll(() => dirs.cleanup());

type Row = { ts_ms: number; msg_id: string | null };
const readings = async (http: number, device: string) =>
  (await (
    await fetch(`http://127.0.0.1:${http}/api/readings?device_id=${device}&limit=10000`)
  ).json()) as Row[];
const sentinelTs = 1_900_000_000_000;
const ports = async () => ({
  http: await freePort(),
  kafka: await freePort(),
  mqtt: await freePort(),
});

/** Each expected msg_id exactly once, nothing else. */
function expectOncePerMessage(rows: Row[], ids: string[]) {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(String(r.msg_id), (seen.get(String(r.msg_id)) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  const missing = ids.filter((id) => !seen.has(id));
  expect({ twice, missing, rows: rows.length }).toEqual({
    twice: [],
    missing: [],
    rows: ids.length,
  });
}

/** `total` QoS 1 readings over MQTT 5, each with its own msg_id user property, 50 in flight. */
async function publishBurst(mqttPort: number, device: string, total: number) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: device,
    protocolVersion: 5,
    reconnectPeriod: 200, // a killed server: reconnect and resend what was not acknowledged
  });
  const ids = Array.from({ length: total }, (_, i) => `${device}-${i}`);
  const done = (async () => {
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        ids
          .slice(i, i + 50)
          .map((msgId, j) =>
            client.publishAsync(
              `iot/${device}/telemetry`,
              JSON.stringify({ ts: 1_800_000_000_000 + i + j, temperature: 20 }),
              { qos: 1, properties: { userProperties: { msg_id: msgId } } },
            ),
          ),
      );
    }
    await client.endAsync();
  })();
  return { ids, done };
}

describe("exactly once in the store", () => {
  test("2,000 QoS 1 readings, consumers killed mid-burst and restarted: each stored once", async () => {
    const dataDir = dirs.make();
    const brokers = await startServeProcess({ dataDir, role: "brokers" });
    const consumerPorts = () =>
      freePort().then((http) => ({ http, kafka: brokers.kafkaPort, mqtt: brokers.mqttPort }));
    let consumers = await startServeProcess({
      dataDir,
      role: "consumers",
      ports: await consumerPorts(),
    });
    const collector = await startServeProcess({
      dataDir,
      role: "collector",
      ports: await consumerPorts(),
    });
    const count = () => readings(collector.httpPort, "burst");
    try {
      const total = 2000;
      const burst = await publishBurst(brokers.mqttPort, "burst", total);
      await waitFor(async () => (await count()).length > 200, 30_000, "some readings stored");
      consumers.proc.kill("SIGKILL");
      await consumers.proc.exited;
      await burst.done; // every PUBACK received: all 2,000 are in Kafka
      consumers = await startServeProcess({
        dataDir,
        role: "consumers",
        ports: await consumerPorts(),
      });
      await waitFor(async () => (await count()).length >= total, 60_000, `${total} readings`);
      await Bun.sleep(1000); // nothing more may arrive
      const rows = await count();
      expectOncePerMessage(rows, burst.ids);
      expect(new Set(rows.map((r) => r.ts_ms)).size).toBe(total);
    } finally {
      await consumers.stop();
      await collector.stop();
      await brokers.stop();
    }
  }, 120_000);

  test("the whole server killed mid-burst and restarted: devices resend, each stored once", async () => {
    const dataDir = dirs.make();
    const fixed = await ports();
    let serve = await startServeProcess({ dataDir, ports: fixed });
    try {
      const total = 2000;
      const burst = await publishBurst(fixed.mqtt, "crash", total);
      await waitFor(
        async () => (await readings(fixed.http, "crash")).length > 300,
        30_000,
        "some readings stored",
      );
      serve.proc.kill("SIGKILL");
      await serve.proc.exited;
      serve = await startServeProcess({ dataDir, ports: fixed });
      await burst.done; // the client reconnected and every publish was acknowledged
      // a sentinel after the burst (same device: same partition, so stored after it)
      const last = await mqtt.connectAsync(`mqtt://127.0.0.1:${fixed.mqtt}`, {
        protocolVersion: 5,
      });
      await last.publishAsync(
        "iot/crash/telemetry",
        JSON.stringify({ ts: sentinelTs, temperature: 1 }),
        {
          qos: 1,
          properties: { userProperties: { msg_id: "crash-sentinel" } },
        },
      );
      await last.endAsync();
      await waitFor(
        async () => (await readings(fixed.http, "crash")).some((r) => r.ts_ms === sentinelTs),
        60_000,
        "the sentinel after the burst",
      );
      expectOncePerMessage(await readings(fixed.http, "crash"), [...burst.ids, "crash-sentinel"]);
    } finally {
      await serve.stop();
    }
  }, 150_000);

  test("the spool sends again what Kafka already has: still each stored once", async () => {
    // Kafka in its own process, so the test can take it away while the bridge spools.
    const kafkaDir = dirs.make();
    const kafkaPorts = await ports();
    let kafka: ServeProcess = await startServeProcess({
      dataDir: kafkaDir,
      role: "brokers",
      ports: kafkaPorts,
    });
    const appDir = dirs.make();
    const appPorts = await ports();
    const startApp = () =>
      startServeProcess({
        dataDir: appDir,
        ports: appPorts,
        args: ["--kafka-brokers", kafka.kafkaAddress],
      });
    let app = await startApp();
    const spool = join(appDir, "bridge-spool");
    const saved = join(dirs.make(), "bridge-spool");
    try {
      kafka.proc.kill("SIGKILL");
      await kafka.proc.exited;
      const total = 100;
      const burst = await publishBurst(appPorts.mqtt, "resend", total);
      await burst.done; // acknowledged: fsynced in the spool
      await app.stop();
      // the spool as it is before the drain: what a crash right after Kafka's ack leaves behind
      cpSync(spool, saved, { recursive: true });

      kafka = await startServeProcess({ dataDir: kafkaDir, role: "brokers", ports: kafkaPorts });
      app = await startApp();
      await waitFor(
        async () => (await readings(appPorts.http, "resend")).length === total,
        60_000,
        `${total} readings drained`,
      );
      await app.stop();
      rmSync(spool, { recursive: true, force: true });
      cpSync(saved, spool, { recursive: true });
      app = await startApp(); // drains the same records again

      const last = await mqtt.connectAsync(`mqtt://127.0.0.1:${appPorts.mqtt}`, {
        protocolVersion: 5,
      });
      // published after the spool's records: sent after them, to the same partition
      await last.publishAsync(
        "iot/resend/telemetry",
        JSON.stringify({ ts: sentinelTs, temperature: 1 }),
        {
          qos: 1,
          properties: { userProperties: { msg_id: "resend-sentinel" } },
        },
      );
      await last.endAsync();
      await waitFor(
        async () => (await readings(appPorts.http, "resend")).some((r) => r.ts_ms === sentinelTs),
        60_000,
        "the sentinel after the re-sent records",
      );
      // Kafka really holds every record twice (the duplicate this test is about) …
      const inKafka = (
        await kcatRead(kafka.kafkaAddress, "iot.telemetry", { format: "%k\\n" })
      ).filter((k) => k === "resend");
      expect(inKafka).toHaveLength(2 * total + 1);
      // … and the store each message once
      expectOncePerMessage(await readings(appPorts.http, "resend"), [
        ...burst.ids,
        "resend-sentinel",
      ]);
    } finally {
      await app.stop();
      await kafka.stop();
    }
  }, 180_000);
});
