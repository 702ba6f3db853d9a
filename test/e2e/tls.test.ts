/**
 * `--tls-cert`/`--tls-key`: HTTPS on the HTTP port and MQTTS on `--mqtts-port`, checked with
 * curl, mqtt.js and mosquitto_pub/sub trusting a throwaway CA made by openssl at test time; a
 * client that does not trust it is refused; bad PEM files stop `iot serve` with a clear error.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTopic } from "../bridge/read-topic.ts";
import { freePort } from "../support/net.ts";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { makeTestCerts, type TestCerts } from "../support/tls.ts";

const dirs = tempDirs("iot-tls-");
const main = join(import.meta.dir, "../../src/main.ts");
let certs: TestCerts;
let serve: ServeProcess;
let mqttsPort: number;
let https: string;

beforeAll(async () => {
  certs = await makeTestCerts(dirs.make());
  mqttsPort = await freePort();
  serve = await startServeProcess({
    dataDir: dirs.make(),
    ca: certs.ca,
    args: [
      ...["--tls-cert", certs.certPath, "--tls-key", certs.keyPath],
      ...["--mqtts-port", String(mqttsPort)],
    ],
  });
  https = `https://127.0.0.1:${serve.httpPort}`;
});
afterAll(async () => {
  await serve?.stop();
  dirs.cleanup();
});

const curl = (...args: string[]) => run(["curl", "-sS", "--max-time", "10", ...args]);

describe("HTTPS", () => {
  test("curl --cacert reads /healthz and posts an entrance event", async () => {
    const health = await curl("--cacert", certs.caPath, `${https}/healthz`);
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout).components.mqtt.detail.tlsPort).toBe(mqttsPort);
    const post = await curl(
      ...["--cacert", certs.caPath, "-H", "content-type: application/json"],
      ...["-d", '{"name":"tls-jane","value":"in"}', `${https}/entrance`],
    );
    expect(post.code).toBe(0);
    expect(JSON.parse(post.stdout)).toMatchObject({ message: "ok", record_type: "in" });
  });

  test("a client that does not trust the CA, or speaks plain HTTP, gets nothing", async () => {
    const untrusting = await curl(`${https}/healthz`);
    expect(untrusting.code).toBe(60); // peer certificate cannot be authenticated
    const plain = await curl(`http://127.0.0.1:${serve.httpPort}/healthz`);
    expect(plain.code).not.toBe(0);
  });
});

describe("MQTTS", () => {
  test("mqtt.js over mqtts:// with the CA: a subscriber gets it and the bridge puts it in Kafka", async () => {
    const url = `mqtts://127.0.0.1:${mqttsPort}`;
    const sub = await mqtt.connectAsync(url, { ca: certs.ca, reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => sub.once("message", (_t, p) => resolve(`${p}`)));
    await sub.subscribeAsync("iot/tls-1/telemetry", { qos: 1 });
    const pub = await mqtt.connectAsync(url, { ca: certs.ca, reconnectPeriod: 0 });
    const payload = JSON.stringify({ temperature: 22.5 });
    await pub.publishAsync("iot/tls-1/telemetry", payload, { qos: 1 });
    expect(await got).toBe(payload);
    await Promise.all([pub.endAsync(), sub.endAsync()]);
    const records = await readTopic(serve.kafkaAddress, "iot.telemetry", 1);
    expect(records.map((r) => [r.key, `${r.value}`])).toEqual([["tls-1", payload]]);
  });

  test("mosquitto_pub and mosquitto_sub with --cafile", async () => {
    const tls = ["-h", "127.0.0.1", "-p", String(mqttsPort), "--cafile", certs.caPath];
    const sub = run(["mosquitto_sub", ...tls, "-t", "tls/m", "-C", "1", "-W", "10"], {
      timeoutMs: 15_000,
    });
    await Bun.sleep(500); // let it subscribe: mosquitto_sub has no "subscribed" signal
    const pub = await run(["mosquitto_pub", ...tls, "-q", "1", "-t", "tls/m", "-m", "over tls"]);
    expect(pub.code).toBe(0);
    expect((await sub).stdout.trim()).toBe("over tls");
  });

  test("a client that does not trust the CA is refused", async () => {
    await expect(
      mqtt.connectAsync(`mqtts://127.0.0.1:${mqttsPort}`, { reconnectPeriod: 0 }),
    ).rejects.toThrow(/certificate/i);
    const stranger = await makeTestCerts(dirs.make()); // another CA, which did not sign it
    const pub = await run(
      ["mosquitto_pub", "-p", String(mqttsPort), "--cafile", stranger.caPath, "-t", "x", "-m", "x"],
      { timeoutMs: 15_000 },
    );
    expect(pub.code).not.toBe(0);
    expect(pub.stderr).toMatch(/TLS error/);
  });
});

describe("bad TLS files stop iot serve with a clear error", () => {
  const serveWith = async (tls: string[], env: Record<string, string> = {}) => {
    const args = ["serve", "--data-dir", dirs.make(), ...tls];
    for (const flag of ["--http-port", "--mqtt-port", "--mqtts-port", "--kafka-port"])
      args.push(flag, String(await freePort()));
    return run([process.execPath, main, ...args], { timeoutMs: 30_000, env });
  };

  test("missing, not PEM, or a key that is not the certificate's", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["/nonexistent/cert.pem", certs.keyPath, /--tls-cert \/nonexistent\/cert.pem: no such file/],
      [certs.certPath, "/nonexistent/key.pem", /--tls-key \/nonexistent\/key.pem: no such file/],
      [certs.keyPath, certs.keyPath, /--tls-cert .*: not a PEM certificate/],
      [certs.certPath, certs.caPath, /--tls-key .*: not a PEM private key/],
      [certs.certPath, certs.otherKeyPath, /does not belong to the certificate/],
    ];
    for (const [cert, key, message] of cases) {
      const r = await serveWith(["--tls-cert", cert, "--tls-key", key]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });

  test("the files come from IOT_TLS_CERT and the config file like every option", async () => {
    const config = join(dirs.make(), "iot.json");
    writeFileSync(config, JSON.stringify({ tlsKey: certs.otherKeyPath }));
    const r = await serveWith(["--config", config], { IOT_TLS_CERT: certs.certPath });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `--tls-key ${certs.otherKeyPath} does not belong to the certificate in ${certs.certPath}`,
    );
    const alone = await serveWith(["--tls-cert", certs.certPath]);
    expect(alone.stderr).toMatch(/--tls-cert and --tls-key go together/);
  });
});
