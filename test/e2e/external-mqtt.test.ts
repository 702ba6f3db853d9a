/**
 * `--mqtt-url`: the embedded MQTT broker is not started; the bridge is a persistent-session
 * subscriber of Debian's Mosquitto, and device commands go there too. Killed (-9) mid-burst and
 * restarted, it loses nothing: Mosquitto delivers again what the bridge had not acked, and the
 * store keeps each device-given `msg_id` once.
 */
import { afterAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { freePort } from "../support/net.ts";
import { run } from "../support/run.ts";
import { startMosquitto } from "../support/mosquitto.ts";
import { startServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-ext-");
afterAll(() => dirs.cleanup());

type Row = { ts: number; msg_id: string | null };
const readings = async (http: number, device: string) =>
  (await (
    await fetch(`http://127.0.0.1:${http}/api/readings?device_id=${device}&limit=10000`)
  ).json()) as Row[];

/** `ids` QoS 1 readings over MQTT 5 with their msg_id user property, 100 in flight. */
async function publishAll(url: string, device: string, ids: string[], ts0: number) {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  for (let i = 0; i < ids.length; i += 100)
    await Promise.all(
      ids
        .slice(i, i + 100)
        .map((msgId, j) =>
          client.publishAsync(
            `iot/${device}/telemetry`,
            JSON.stringify({ ts: ts0 + i + j, temperature: 20 }),
            { qos: 1, properties: { userProperties: { msg_id: msgId } } },
          ),
        ),
    );
  await client.endAsync();
}

describe("external MQTT broker (Mosquitto)", () => {
  test("QoS 1 publishes through Mosquitto reach the API; commands are retained there", async () => {
    const mosquitto = await startMosquitto(dirs.make());
    const serve = await startServeProcess({
      dataDir: dirs.make(),
      args: ["--mqtt-url", mosquitto.url],
    });
    const http = `http://127.0.0.1:${serve.httpPort}`;
    try {
      const health = await (await fetch(`${http}/healthz`)).json();
      expect(health.components.mqtt).toMatchObject({ state: "external" });
      // nothing listens on the embedded MQTT port
      expect(
        await Bun.connect({
          hostname: "127.0.0.1",
          port: serve.mqttPort,
          socket: { data() {} },
        }).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
      for (let i = 0; i < 20; i++) {
        const r = await run([
          "mosquitto_pub",
          "-p",
          String(mosquitto.port),
          "-q",
          "1",
          "-t",
          "iot/ext-1/telemetry",
          "-m",
          JSON.stringify({ ts: Date.now() - 60_000 + i, temperature: i }), // within retention,
        ]);
        expect(r.code).toBe(0);
      }
      await waitFor(
        async () =>
          (await (await fetch(`${http}/api/readings?device_id=ext-1&limit=100`)).json()).length ===
          20,
        20_000,
        "20 readings via mosquitto",
      );
      const res = await fetch(`${http}/status/ext-1`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "Active" }),
      });
      expect(res.status).toBe(200);
      const sub = await run([
        "mosquitto_sub",
        "-p",
        String(mosquitto.port),
        "-t",
        "iot/ext-1/command",
        "-C",
        "1",
        "-W",
        "5",
      ]);
      expect(sub.stdout.trim()).toBe("Active");
    } finally {
      await serve.stop();
      await mosquitto.stop();
    }
  }, 60_000);

  test("the bridge killed (-9) mid-burst and restarted: every reading stored once", async () => {
    const mosquitto = await startMosquitto(dirs.make());
    const dataDir = dirs.make();
    const fixed = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
    const args = ["--mqtt-url", mosquitto.url];
    let serve = await startServeProcess({ dataDir, ports: fixed, args });
    try {
      const total = 3000;
      const ids = Array.from({ length: total }, (_, i) => `kill-${i}`);
      const burst = publishAll(mosquitto.url, "kill", ids, 1_800_000_000_000);
      await waitFor(
        async () => (await readings(fixed.http, "kill")).length > 0,
        30_000,
        "the first readings stored",
      );
      serve.proc.kill("SIGKILL"); // with messages in flight to Kafka, some of them acked
      await serve.proc.exited;
      await burst; // Mosquitto has them all; what the bridge had not acked waits in its session
      serve = await startServeProcess({ dataDir, ports: fixed, args });
      // a sentinel after the burst: same device and partition, so stored after all of it
      await publishAll(mosquitto.url, "kill", ["kill-sentinel"], 1_900_000_000_000);
      await waitFor(
        async () => (await readings(fixed.http, "kill")).some((r) => r.msg_id === "kill-sentinel"),
        60_000,
        "the sentinel after the burst",
      );
      const rows = await readings(fixed.http, "kill");
      const seen = new Map<string, number>();
      for (const r of rows) seen.set(String(r.msg_id), (seen.get(String(r.msg_id)) ?? 0) + 1);
      expect({
        missing: [...ids, "kill-sentinel"].filter((id) => !seen.has(id)),
        twice: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
        rows: rows.length,
      }).toEqual({ missing: [], twice: [], rows: total + 1 });
    } finally {
      await serve.stop();
      await mosquitto.stop();
    }
  }, 120_000);
});
