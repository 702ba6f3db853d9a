/**
 * Device commands survive a restart of `iot serve` (a real process, killed -9 or stopped with
 * SIGTERM, then started again on the same data dir and ports): the retained `iot/<id>/command`
 * is still there for a new subscriber, and a persistent session (MQTT 3.1.1 clean=false, MQTT 5
 * session expiry) that was offline when the command was sent gets it when it comes back.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { freePort } from "../support/net.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-mqtt-restart-");
let serve: ServeProcess | undefined;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  if (serve) {
    serve.proc.kill("SIGKILL");
    await serve.proc.exited;
  }
  serve = undefined;
});
afterAll(() => dirs.cleanup());

async function ports() {
  return { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
}

async function restart(
  dataDir: string,
  p: Awaited<ReturnType<typeof ports>>,
  how: "kill" | "term",
) {
  if (serve) {
    if (how === "kill") serve.proc.kill("SIGKILL");
    else serve.proc.kill("SIGTERM");
    await serve.proc.exited;
  }
  serve = await startServeProcess({ dataDir, ports: p });
}

async function sendCommand(id: string, status: "Active" | "Inactive") {
  const res = await fetch(`http://127.0.0.1:${serve!.httpPort}/status/${id}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status }),
  });
  expect(res.status).toBe(200);
}

async function connect(opts: mqtt.IClientOptions = {}) {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve!.mqttPort}`, {
    reconnectPeriod: 0,
    ...opts,
  });
  clients.push(c);
  return c;
}

/** the first message on `topic`, or null after `ms` */
function nextMessage(c: mqtt.MqttClient, topic: string, ms = 5_000) {
  return new Promise<{ payload: string; retain: boolean } | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    c.on("message", (t, payload, packet) => {
      if (t !== topic) return;
      clearTimeout(timer);
      resolve({ payload: payload.toString(), retain: packet.retain });
    });
  });
}

async function retainedCommand(id: string) {
  const c = await connect();
  const got = nextMessage(c, `iot/${id}/command`);
  await c.subscribeAsync(`iot/${id}/command`, { qos: 1 });
  const m = await got;
  await c.endAsync();
  return m;
}

describe("device commands across restarts of iot serve", () => {
  test("the retained command survives kill -9 and SIGTERM", async () => {
    const dataDir = dirs.make();
    const p = await ports();
    serve = await startServeProcess({ dataDir, ports: p });
    await sendCommand("dev-a", "Inactive");
    await restart(dataDir, p, "kill");
    expect(await retainedCommand("dev-a")).toEqual({ payload: "Inactive", retain: true });

    await sendCommand("dev-a", "Active");
    await restart(dataDir, p, "term");
    expect(await retainedCommand("dev-a")).toEqual({ payload: "Active", retain: true });
    // and once more after a kill -9 of a server that had itself been restarted
    await restart(dataDir, p, "kill");
    expect(await retainedCommand("dev-a")).toEqual({ payload: "Active", retain: true });
  }, 90_000);

  for (const version of [4, 5] as const) {
    test(`an offline persistent session (MQTT ${version === 4 ? "3.1.1 clean=false" : "5 session expiry"}) gets the command sent while it was away, after a kill -9`, async () => {
      const dataDir = dirs.make();
      const p = await ports();
      serve = await startServeProcess({ dataDir, ports: p });
      const id = `dev-v${version}`;
      const session: mqtt.IClientOptions =
        version === 4
          ? { clientId: id, clean: false, protocolVersion: 4 }
          : {
              clientId: id,
              clean: false,
              protocolVersion: 5,
              properties: { sessionExpiryInterval: 3600 },
            };
      const device = await connect(session);
      await device.subscribeAsync(`iot/${id}/command`, { qos: 1 });
      await device.endAsync();

      await sendCommand(id, "Inactive"); // the device is offline
      await restart(dataDir, p, "kill");

      // the same session comes back and subscribes to nothing: only the session can deliver it
      const back = mqtt.connect(`mqtt://127.0.0.1:${serve!.mqttPort}`, {
        ...session,
        reconnectPeriod: 0,
      });
      clients.push(back);
      const got = nextMessage(back, `iot/${id}/command`, 10_000);
      const connack = await new Promise<mqtt.IConnackPacket>((r) => back.once("connect", r));
      expect(connack.sessionPresent).toBe(true);
      expect((await got)?.payload).toBe("Inactive");
    }, 60_000);
  }
});
