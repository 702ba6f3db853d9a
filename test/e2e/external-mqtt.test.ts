/**
 * `--mqtt-url`: the embedded MQTT broker is not started; the bridge is a persistent-session
 * subscriber of Debian's Mosquitto, and device commands go there too.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { run } from "../support/run.ts";
import { startMosquitto } from "../support/mosquitto.ts";
import { startServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-ext-");
afterAll(() => dirs.cleanup());

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
          JSON.stringify({ ts: 1_700_000_000_000 + i, temperature: i }),
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
});
