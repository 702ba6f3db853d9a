/**
 * MQTT authorization in protected mode (`--host 0.0.0.0`; the test talks over loopback), with
 * real clients: a device token reads only its own `iot/<id>/` subtree, uses only its own client
 * id, and a revoked token's live session is closed within seconds. Reserved subjects get no
 * token at all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { join } from "node:path";
import { run } from "../support/run.ts";
import { createToken, revokeTokenOf } from "../support/token.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-authz-mqtt-");
const main = join(import.meta.dir, "../../src/main.ts");
let dataDir: string;
let serve: ServeProcess;
let url: string;
const tokens: Record<string, string> = {};
const clients: MqttClient[] = [];

beforeAll(async () => {
  dataDir = dirs.make();
  for (const id of ["pi-1", "pi-2", "pi-3"]) tokens[id] = await createToken(dataDir, "device", id);
  tokens.reader = await createToken(dataDir, "device", "ops", "reader");
  tokens.http = await createToken(dataDir, "http", "ops");
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
  url = `mqtt://127.0.0.1:${serve.mqttPort}`;
});
afterEach(() => {
  for (const c of clients.splice(0)) c.end(true);
});
afterAll(async () => {
  await serve?.stop();
  dirs.cleanup();
});

const connect = async (user: string, opts: IClientOptions = {}) => {
  const c = await mqtt.connectAsync(url, {
    clientId: user,
    username: user,
    password: tokens[user === "ops" ? "reader" : user],
    reconnectPeriod: 0,
    ...opts,
  });
  clients.push(c);
  return c;
};
/** the SUBACK / PUBACK reason code of a refusal (mqtt.js keeps the SUBACK on the error) */
const refusedCode = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (e: { code?: number; packet?: { granted?: number[] }; message?: string }) =>
      e.packet?.granted?.[0] ?? e.code ?? e.message,
  );

describe("MQTT subscriptions in protected mode", () => {
  test("a device token may not subscribe to #, $SYS/# or another device's topics: refused, not narrowed", async () => {
    const v4 = await connect("pi-1");
    for (const filter of ["#", "$SYS/#", "iot/pi-2/#", "iot/+/command", "+/pi-2/#", "iot/#"])
      expect({ filter, code: await refusedCode(v4.subscribeAsync(filter)) }).toEqual({
        filter,
        code: 0x80, // MQTT 3.1.1 SUBACK failure
      });
    const v5 = await connect("pi-1", { clientId: "pi-1/v5", protocolVersion: 5 });
    expect(await refusedCode(v5.subscribeAsync("#"))).toBe(0x87); // "not authorized"

    // nothing of pi-2's reaches pi-1, whatever it asked for
    const seen: string[] = [];
    v4.on("message", (topic) => seen.push(topic));
    v5.on("message", (topic) => seen.push(topic));
    await v4.subscribeAsync("iot/pi-1/#", { qos: 1 });
    const pi2 = await connect("pi-2");
    await pi2.publishAsync("iot/pi-2/telemetry", JSON.stringify({ temperature: 20 }), { qos: 1 });
    await pi2.publishAsync("iot/pi-2/status", JSON.stringify({ status: "online" }), { qos: 1 });

    // its own subtree works: a command sent to pi-1 arrives
    const command = new Promise<string>((resolve) =>
      v4.on("message", (topic, payload) => topic.endsWith("/command") && resolve(String(payload))),
    );
    const res = await fetch(`http://127.0.0.1:${serve.httpPort}/status/pi-1`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.http}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "Inactive" }),
    });
    expect(res.status).toBe(200);
    expect(await command).toBe("Inactive");
    await Bun.sleep(300);
    expect(seen).toEqual(["iot/pi-1/command"]);
  });

  test("mosquitto_sub with a device token: '#' is denied, its own subtree is not", async () => {
    const sub = (topic: string) =>
      run(
        [
          "mosquitto_sub",
          ...["-h", "127.0.0.1", "-p", String(serve.mqttPort), "-V", "mqttv311"],
          ...["-i", "pi-3", "-u", "pi-3", "-P", tokens["pi-3"]!, "-t", topic, "-W", "3", "-v"],
        ],
        { timeoutMs: 15_000 },
      );
    const all = await sub("#");
    expect(all.stderr).toMatch(/denied/i);
    expect(all.stdout).toBe("");
    const own = await sub("iot/pi-3/#");
    expect(own.stderr).not.toMatch(/denied/i);
  });

  test("a reader token subscribes to everything and publishes nothing", async () => {
    const reader = await connect("ops", { protocolVersion: 5 });
    const got = new Promise<string>((resolve) =>
      reader.on("message", (topic) => topic === "iot/pi-2/telemetry" && resolve(topic)),
    );
    await reader.subscribeAsync("#", { qos: 1 });
    const pi2 = await connect("pi-2");
    await pi2.publishAsync("iot/pi-2/telemetry", JSON.stringify({ temperature: 21 }), { qos: 1 });
    expect(await got).toBe("iot/pi-2/telemetry");
    expect(await refusedCode(reader.publishAsync("iot/ops/telemetry", "{}", { qos: 1 }))).toBe(
      0x87,
    );
  });
});

describe("MQTT client ids in protected mode", () => {
  test("a device token cannot take over another device's client id; the victim stays connected", async () => {
    const victim = await connect("pi-2", { clean: false });
    await victim.subscribeAsync("iot/pi-2/command", { qos: 1 });
    let victimClosed = false;
    victim.on("close", () => (victimClosed = true));
    for (const [user, clientId] of [
      ["pi-1", "pi-2"],
      ["ops", "pi-2"], // a reader neither
      ["pi-1", "mqttjs_1234"],
      ["pi-1", "pi-1-x"], // not the `<id>/` form: pi-1-x may be another device's id
    ] as const) {
      const err = await connect(user, { clientId, clean: false }).then(
        () => null,
        (e: Error) => e.message,
      );
      expect({ user, clientId, err }).toEqual({
        user,
        clientId,
        err: expect.stringMatching(/Identifier rejected/i),
      });
    }
    await Bun.sleep(300);
    expect(victimClosed).toBe(false);
    expect(victim.connected).toBe(true);
    await victim.publishAsync("iot/pi-2/telemetry", JSON.stringify({ temperature: 22 }), {
      qos: 1,
    });
    // its own id, or `<id>/<anything>`, is fine
    await connect("pi-1");
    await connect("pi-1", { clientId: "pi-1/camera" });
  });
});

describe("revocation", () => {
  test("a revoked device token's live MQTT session is closed within seconds", async () => {
    const device = await connect("pi-3", { keepalive: 60 });
    await device.publishAsync("iot/pi-3/telemetry", JSON.stringify({ temperature: 20 }), {
      qos: 1,
    });
    let closedAt = 0;
    device.on("close", () => (closedAt ||= Date.now()));
    const revokedAt = Date.now();
    await revokeTokenOf(dataDir, "pi-3");
    await waitFor(() => closedAt > 0, 15_000, "the revoked session closed");
    console.log(`revoked MQTT session closed after ${closedAt - revokedAt} ms`);
    // and it cannot come back
    await expect(connect("pi-3")).rejects.toThrow(/Bad username or password/i);
  });
});

describe("reserved subjects", () => {
  test("iot's own names, MQTT wildcards and $ get no token", async () => {
    const attempt = (kind: string, subject: string) =>
      run([
        ...[process.execPath, main, "token", "create", "--data-dir", dataDir],
        ...["--kind", kind, "--subject", subject],
      ]);
    for (const [kind, subject] of [
      ["device", "iot-internal"],
      ["kafka", "iot-internal"],
      ["http", "iot-internal"],
      ["device", "iot-commands-1"],
      ["device", "#"],
      ["device", "+"],
      ["device", "a/b"],
      ["device", "$SYS"],
    ]) {
      const r = await attempt(kind!, subject!);
      expect({ kind, subject, code: r.code }).toEqual({ kind, subject, code: 2 });
      expect(r.stderr).toMatch(/cannot create the token: .*(reserved|topic level|\$)/);
      expect(r.stdout).toBe("");
    }
    const list = await run([process.execPath, main, "token", "list", "--data-dir", dataDir]);
    expect(list.stdout).not.toContain("iot-internal");
  });
});
