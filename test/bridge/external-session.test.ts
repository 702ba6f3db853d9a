/**
 * The external bridge's own MQTT 5 client against Debian's Mosquitto: a message that could not
 * be stored is never acked (nor anything after it) and comes back after the reconnect it makes
 * by itself; keepalive PINGs hold an idle connection; mqtts:// with a private CA and the URL's
 * username and password.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { connectExternal, startBridge, type Bridge } from "../../src/bridge/index.ts";
import { createKafka } from "../../src/core/kafka/index.ts";
import { kafkajsBus } from "../../src/bus/index.ts";
import { createLogger, silentLogger } from "../../src/core/log/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { useKafkaBroker } from "../support/kafka.ts";
import { startMosquitto } from "../support/mosquitto.ts";
import { run } from "../support/run.ts";
import { tempDirs } from "../support/temp.ts";
import { makeTestCerts } from "../support/tls.ts";
import { waitFor } from "../support/wait.ts";
import { readTopic } from "./read-topic.ts";

const kafkaBroker = useKafkaBroker("iot-ext-session-kafka-");
const dirs = tempDirs("iot-ext-session-");
let bridge: Bridge;
beforeAll(async () => {
  const kafka = createKafka({
    brokers: [kafkaBroker.broker.address],
    clientId: "s",
    log: silentLogger,
  });
  bridge = await startBridge({
    kafka: kafkajsBus(kafka),
    dataDir: dirs.make(),
    log: silentLogger,
    metrics: new MetricsRegistry(),
  });
});
afterAll(async () => {
  await bridge.stop();
  dirs.cleanup();
});

/** a logger whose lines the test reads */
function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger("debug", "test", (l) => lines.push(l)) };
}

const telemetryNs = async (device: string) =>
  (await readTopic(kafkaBroker.broker.address, "iot.telemetry", 0, 0))
    .filter((r) => r.key === device)
    .map((r) => JSON.parse(r.value.toString()).n as number);

describe("external bridge client (Mosquitto)", () => {
  test("a message not stored: it and what follows are not acked, and come back after a reconnect", async () => {
    const mosquitto = await startMosquitto(dirs.make());
    const { lines, log } = capture();
    let failed = false;
    const flaky: Bridge = {
      ...bridge,
      handle(topic, payload, props) {
        if (!failed && JSON.parse(payload.toString()).n === 5) {
          failed = true;
          return Promise.reject(new Error("neither Kafka nor the spool took it"));
        }
        return bridge.handle(topic, payload, props);
      },
    };
    const client = await connectExternal(mosquitto.url, flaky, log, undefined, {
      clientId: "bridge-flaky",
    });
    try {
      const device = await mqtt.connectAsync(mosquitto.url);
      for (let n = 0; n < 20; n++)
        await device.publishAsync("iot/flaky/telemetry", JSON.stringify({ n }), { qos: 1 });
      await device.endAsync();
      let ns: number[] = [];
      await waitFor(
        async () => new Set((ns = await telemetryNs("flaky"))).size === 20,
        30_000,
        "all 20 in Kafka",
      );
      expect(failed).toBe(true);
      // acked before the failure: once; the failed one and later ones were delivered again
      for (let n = 0; n < 5; n++)
        expect({ n, times: ns.filter((x) => x === n).length }).toEqual({ n, times: 1 });
      expect(lines.some((l) => l.includes("external mqtt reconnected"))).toBe(true);
    } finally {
      await client.endAsync();
      await mosquitto.stop();
    }
  }, 60_000);

  test("keepalive: PINGREQs answered, an idle connection stays up", async () => {
    const dir = dirs.make();
    const logFile = join(dir, "mosquitto.log");
    // Mosquitto started as root runs as the `mosquitto` user: let it write its log here
    writeFileSync(logFile, "", { mode: 0o666 });
    chmodSync(logFile, 0o666);
    chmodSync(dir, 0o755);
    const mosquitto = await startMosquitto(dir, [`log_dest file ${logFile}`, "log_type all"]);
    const { lines, log } = capture();
    const client = await connectExternal(mosquitto.url, bridge, log, undefined, {
      clientId: "bridge-ka",
      keepaliveSeconds: 1,
    });
    const brokerLog = () => readFileSync(logFile, "utf8");
    try {
      await waitFor(
        () => brokerLog().split("Received PINGREQ from bridge-ka").length > 3,
        20_000,
        "three PINGREQs",
      );
      expect(brokerLog().split("New client connected").length - 1).toBe(1);
      expect(lines.filter((l) => l.includes("connection lost"))).toEqual([]);
    } finally {
      await client.endAsync();
      await mosquitto.stop();
    }
  }, 30_000);

  test("mqtts:// with a private CA, username and password from the URL", async () => {
    const dir = dirs.make();
    const certs = await makeTestCerts(dir);
    const passwords = join(dir, "passwords");
    expect((await run(["mosquitto_passwd", "-b", "-c", passwords, "bridge", "s3cret"])).code).toBe(
      0,
    );
    // Mosquitto started as root runs as the `mosquitto` user: let it read its files (test keys)
    chmodSync(dir, 0o755);
    for (const f of [certs.certPath, certs.keyPath, passwords]) chmodSync(f, 0o644);
    const mosquitto = await startMosquitto(dir, [
      `certfile ${certs.certPath}`,
      `keyfile ${certs.keyPath}`,
      `password_file ${passwords}`,
      "allow_anonymous false",
    ]);
    const url = `mqtts://bridge:s3cret@localhost:${mosquitto.port}`;
    const tls = { ca: certs.ca };
    await expect(
      connectExternal(url.replace("s3cret", "wrong"), bridge, silentLogger, undefined, { tls }),
    ).rejects.toThrow(/refused/);
    const client = await connectExternal(url, bridge, silentLogger, undefined, {
      clientId: "bridge-tls",
      tls,
    });
    try {
      const pub = await run([
        "mosquitto_pub",
        ...["-h", "localhost", "-p", String(mosquitto.port), "--cafile", certs.caPath],
        ...["-u", "bridge", "-P", "s3cret", "-q", "1", "-t", "iot/tls-1/telemetry"],
        ...["-m", JSON.stringify({ n: 1 })],
      ]);
      expect(pub.code).toBe(0);
      await waitFor(async () => (await telemetryNs("tls-1")).length === 1, 30_000, "in Kafka");
    } finally {
      await client.endAsync();
      await mosquitto.stop();
    }
  }, 60_000);
});
