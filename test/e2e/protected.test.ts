/**
 * Protected mode: bound to a non-loopback address (here 0.0.0.0; the test talks over 127.0.0.1
 * only), devices, HTTP writes and Kafka clients must authenticate with `iot token create` tokens.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { join } from "node:path";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-protected-");
const main = join(import.meta.dir, "../../src/main.ts");
let dataDir: string;
let serve: ServeProcess;
let http: string;
const tokens: Record<string, string> = {};

async function tokenCreate(kind: string, subject: string) {
  const r = await run([
    process.execPath,
    main,
    "token",
    "create",
    "--data-dir",
    dataDir,
    "--kind",
    kind,
    "--subject",
    subject,
  ]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain("shown only once");
  return r.stdout.trim();
}

beforeAll(async () => {
  dataDir = dirs.make();
  tokens.device = await tokenCreate("device", "pi-1");
  tokens.http = await tokenCreate("http", "ops");
  tokens.kafka = await tokenCreate("kafka", "seed-pi");
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
  http = `http://127.0.0.1:${serve.httpPort}`;
});
afterAll(async () => {
  await serve.stop();
  dirs.cleanup();
});

describe("protected mode", () => {
  test("tokens are stored hashed and listed without their secret", async () => {
    const r = await run([process.execPath, main, "token", "list", "--data-dir", dataDir]);
    expect(r.stdout).toContain("device  pi-1");
    for (const t of Object.values(tokens)) expect(r.stdout).not.toContain(t);
  });

  test("MQTT: no token is refused; a device token publishes under its own iot/<id>/ only", async () => {
    const url = `mqtt://127.0.0.1:${serve.mqttPort}`;
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(
      mqtt.connectAsync(url, { username: "pi-1", password: "wrong", reconnectPeriod: 0 }),
    ).rejects.toThrow();
    await expect(
      mqtt.connectAsync(url, { username: "pi-2", password: tokens.device, reconnectPeriod: 0 }),
    ).rejects.toThrow();
    const device = await mqtt.connectAsync(url, {
      username: "pi-1",
      password: tokens.device,
      reconnectPeriod: 0,
    });
    await device.publishAsync("iot/pi-1/telemetry", JSON.stringify({ temperature: 21 }), {
      qos: 1,
    });
    await waitFor(
      async () => (await (await fetch(`${http}/api/readings?device_id=pi-1`)).json()).length === 1,
      15_000,
      "pi-1 reading",
    );
    // someone else's topic: the broker drops this client (MQTT 3.1.1 has no negative PUBACK)
    const closed = new Promise<void>((resolve) => device.once("close", () => resolve()));
    device.publish("iot/pi-2/telemetry", JSON.stringify({ temperature: 99 }), { qos: 1 });
    await closed;
    device.end(true);
    await Bun.sleep(500);
    expect(await (await fetch(`${http}/api/readings?device_id=pi-2`)).json()).toEqual([]);
  });

  test("HTTP: writes need the bearer token, reads do not; a bad token is 401", async () => {
    const body = JSON.stringify({ name: "jane", value: "in" });
    expect((await fetch(`${http}/entrance`, { method: "POST", body })).status).toBe(401);
    expect(
      (
        await fetch(`${http}/entrance`, {
          method: "POST",
          body,
          headers: { authorization: "Bearer nope" },
        })
      ).status,
    ).toBe(401);
    const ok = await fetch(`${http}/entrance`, {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${tokens.http}` },
    });
    expect(ok.status).toBe(200);
    expect((await fetch(`${http}/api/people`)).status).toBe(200);
    const login = await fetch(`${http}/login`, {
      method: "POST",
      body: new URLSearchParams({ token: tokens.http }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    expect(
      (
        await fetch(`${http}/status/x`, {
          method: "POST",
          body: JSON.stringify({ status: "Active" }),
          headers: { cookie },
        })
      ).status,
    ).toBe(200);
  });

  test("Kafka: kcat without SASL gets nothing; with a kafka token over SASL/PLAIN it works", async () => {
    const base = ["kcat", "-b", serve.kafkaAddress, "-m", "5"];
    const anonymous = await run([...base, "-P", "-t", "temp_test"], {
      stdin: '{"m_id":"x"}\n',
      timeoutMs: 15_000,
    });
    expect(anonymous.code).not.toBe(0);
    const sasl = [
      "-X",
      "security.protocol=SASL_PLAINTEXT",
      "-X",
      "sasl.mechanisms=PLAIN",
      "-X",
      "sasl.username=seed-pi",
      "-X",
      `sasl.password=${tokens.kafka}`,
    ];
    const produced = await run([...base, ...sasl, "-P", "-t", "temp_test"], {
      stdin: '{"m_id":"k1","datetime":"2026-11-22 10:00:00","temp":"20.5"}\n',
    });
    expect(produced.code).toBe(0);
    await waitFor(
      async () => (await (await fetch(`${http}/api/readings?device_id=k1`)).json()).length === 1,
      15_000,
      "k1 reading",
    );
    const wrong = [
      "-X",
      "security.protocol=SASL_PLAINTEXT",
      "-X",
      "sasl.mechanisms=PLAIN",
      "-X",
      "sasl.username=seed-pi",
      "-X",
      "sasl.password=nope",
    ];
    expect((await run([...base, ...wrong, "-L"], { timeoutMs: 15_000 })).code).not.toBe(0);
  });
});
