/**
 * Protected mode: bound to a non-loopback address (here 0.0.0.0; the test talks over 127.0.0.1
 * only), devices, HTTP writes and Kafka clients must authenticate with `iot token create` tokens.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { hostname } from "node:os";
import { join } from "node:path";
import { run } from "../support/run.ts";
import { createToken } from "../support/token.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-protected-");
const main = join(import.meta.dir, "../../src/main.ts");
let dataDir: string;
let serve: ServeProcess;
let http: string;
const tokens: Record<string, string> = {};

const tokenCreate = (kind: string, subject: string) => createToken(dataDir, kind, subject);

beforeAll(async () => {
  dataDir = dirs.make();
  tokens.device = await tokenCreate("device", "pi-1");
  tokens.http = await tokenCreate("http", "ops");
  tokens.kafka = await tokenCreate("kafka", "seed-pi");
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
  http = `http://127.0.0.1:${serve.httpPort}`;
}, 60_000);
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
      clientId: "pi-1",
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
    const json = { "content-type": "application/json" };
    expect((await fetch(`${http}/entrance`, { method: "POST", body, headers: json })).status).toBe(
      401,
    );
    expect(
      (
        await fetch(`${http}/entrance`, {
          method: "POST",
          body,
          headers: { ...json, authorization: "Bearer nope" },
        })
      ).status,
    ).toBe(401);
    const ok = await fetch(`${http}/entrance`, {
      method: "POST",
      body,
      headers: { ...json, authorization: `Bearer ${tokens.http}` },
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
          headers: { ...json, cookie, origin: http },
        })
      ).status,
    ).toBe(200);
  });

  test("HTTP sign-in: a session cookie (never the token), Origin-checked, ended by logout and by revocation", async () => {
    const session = await tokenCreate("http", "browser-user");
    const login = async () => {
      const res = await fetch(`${http}/login`, {
        method: "POST",
        body: new URLSearchParams({ token: session }),
        headers: { origin: http },
        redirect: "manual",
      });
      expect(res.status).toBe(303);
      const set = res.headers.get("set-cookie")!;
      expect(set).not.toContain(session);
      expect(set).toMatch(/^iot_session=[\w-]+;.*HttpOnly; SameSite=Strict/);
      return set.split(";")[0]!;
    };
    const write = (cookie: string, headers: Record<string, string> = { origin: http }) =>
      fetch(`${http}/status/pi-9`, {
        method: "POST",
        body: JSON.stringify({ status: "Active" }),
        headers: { "content-type": "application/json", cookie, ...headers },
      }).then((r) => r.status);
    // a page on the same site but another port: its Origin is not ours
    const first = await login();
    expect(await write(first, { origin: "http://127.0.0.1:1" })).toBe(403);
    expect(await write(first, {})).toBe(403); // a cookie without Origin
    expect(await write(first)).toBe(200);
    const out = await fetch(`${http}/logout`, {
      method: "POST",
      headers: { cookie: first, origin: http },
      redirect: "manual",
    });
    expect(out.status).toBe(303);
    expect(await write(first)).toBe(401);
    // revoking the token ends the sessions made with it
    const second = await login();
    expect(await write(second)).toBe(200);
    const list = await run([process.execPath, main, "token", "list", "--data-dir", dataDir]);
    const id = list.stdout
      .split("\n")
      .find((l) => l.includes("browser-user"))!
      .split(/\s+/)[0]!;
    const revoked = await run([
      process.execPath,
      main,
      "token",
      "revoke",
      id,
      "--data-dir",
      dataDir,
    ]);
    expect(revoked.code).toBe(0);
    expect(await write(second)).toBe(401);
  }, 60_000);

  test("bound to 0.0.0.0, a Host name that is not this machine's is refused (DNS rebinding)", async () => {
    const res = await fetch(`${http}/api/devices`, {
      headers: { host: `rebind.example:${serve.httpPort}` },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain("--allowed-hosts");
    const own = await fetch(`${http}/api/devices`, {
      headers: { host: `${hostname()}:${serve.httpPort}` },
    });
    expect(own.status).toBe(200);
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
      stdin: '{"m_id":"seed-pi","datetime":"2026-11-22 10:00:00","temp":"20.5"}\n',
    });
    expect(produced.code).toBe(0);
    await waitFor(
      async () =>
        (await (await fetch(`${http}/api/readings?device_id=seed-pi`)).json()).length === 1,
      15_000,
      "seed-pi reading",
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

  test("HTTP: every write route is 401 without a token, or with a token of another kind", async () => {
    const writes = [
      "/",
      "/entrance",
      "/office_status",
      "/office_rule",
      "/status/pi-1",
      "/api/alerts/1/ack",
      "/api/alerts/1/clear",
      "/api/alerts/ack",
      "/api/alerts/clear",
    ];
    const refused: string[] = [];
    for (const path of writes) {
      for (const authorization of [
        undefined,
        `Bearer ${tokens.device}`,
        `Bearer ${tokens.kafka}`,
      ]) {
        const res = await fetch(`${http}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(authorization && { authorization }) },
          body: JSON.stringify({ name: "x", value: "in", status: "Active" }),
        });
        const body = await res.json();
        if (res.status === 401 && /authentication required/.test(body.message)) refused.push(path);
      }
    }
    expect(refused).toEqual(writes.flatMap((w) => [w, w, w]));
    // …and the refusal comes before the body is read: an oversized one is still a 401
    const big = await fetch(`${http}/entrance`, { method: "POST", body: "x".repeat(20 << 20) });
    expect(big.status).toBe(401);
  });

  test("HTTP reads stay open: dashboard pages, the JSON API, health and metrics", async () => {
    const reads = ["/", "/rooms", "/people", "/devices", "/bins", "/cameras", "/alerts", "/login"];
    reads.push("/api/readings", "/api/devices", "/api/alerts", "/healthz", "/metrics");
    for (const path of reads) {
      const res = await fetch(`${http}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  test("tokens are per kind: an http token is no MQTT login, a device token no Kafka login", async () => {
    const url = `mqtt://127.0.0.1:${serve.mqttPort}`;
    await expect(
      mqtt.connectAsync(url, { username: "ops", password: tokens.http, reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
    const kafka = (sasl?: { username: string; password: string }) =>
      new Kafka({
        brokers: [serve.kafkaAddress],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 3000,
        ...(sasl && { sasl: { mechanism: "plain" as const, ...sasl } }),
      });
    const produce = async (client: Kafka) => {
      const producer = client.producer();
      try {
        await producer.connect();
        await producer.send({
          topic: "temp_test",
          messages: [{ value: JSON.stringify({ m_id: "seed-pi" }) }],
        });
      } finally {
        await producer.disconnect().catch(() => {});
      }
    };
    // without SASL the broker closes the connection at the first request past ApiVersions
    await expect(produce(kafka())).rejects.toThrow(/Closed connection/);
    await expect(produce(kafka({ username: "pi-1", password: tokens.device }))).rejects.toThrow(
      /SASL|authenticat/i,
    );
    await produce(kafka({ username: "seed-pi", password: tokens.kafka })); // the right kind works
  });

  test("MQTT: a device may not publish to the seed topics nor to $SYS", async () => {
    for (const topic of ["coffee", "hello/world", "iot/pi-1", "$SYS/x"]) {
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
        clientId: "pi-1",
        username: "pi-1",
        password: tokens.device,
        reconnectPeriod: 0,
      });
      const closed = new Promise<void>((resolve) => device.once("close", () => resolve()));
      device.publish(topic, '{"id":"pi-1","x":1,"y":1,"status":"Active"}', { qos: 1 });
      await closed;
      device.end(true);
    }
    expect(serve.proc.exitCode).toBeNull();
  });
});
