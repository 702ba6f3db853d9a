/**
 * New records at offsets that already have rows are stored, not taken for redeliveries:
 * - a Kafka client deletes `iot.telemetry` while `iot serve` runs; the bridge's next produce
 *   creates it again, from offset 0;
 * - the log loses its tail (cut mid-batch while the server is down, as a power loss leaves it):
 *   recovery drops the torn batch, the consumers' committed offset is past the log end — the
 *   group resets (logged with group, topic, partition, old and new offset) and the readings sent
 *   afterwards, at the freed offsets, are stored.
 * Each acknowledged reading is stored exactly once (checked per msg_id).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { startServeProcess } from "../support/serve-process.ts";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-reused-");
afterAll(() => dirs.cleanup());

type Row = { msg_id: string | null };
const stored = async (http: number, device: string) =>
  (await (
    await fetch(`http://127.0.0.1:${http}/api/readings?device_id=${device}&limit=10000`)
  ).json()) as Row[];

/** QoS 1 readings over MQTT 5, one at a time (one Kafka batch each), each with its msg_id. */
async function publish(mqttPort: number, device: string, ids: string[]) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: `${device}-${ids[0]}`,
    protocolVersion: 5,
  });
  try {
    for (const [i, msgId] of ids.entries()) {
      await client.publishAsync(
        `iot/${device}/telemetry`,
        JSON.stringify({ ts: 1_800_000_000_000 + i, temperature: 20 + i }),
        { qos: 1, properties: { userProperties: { msg_id: msgId } } },
      );
    }
  } finally {
    await client.endAsync();
  }
}

async function expectStoredOnce(http: number, device: string, ids: string[]) {
  await waitFor(
    async () => (await stored(http, device)).length >= ids.length,
    30_000,
    `${ids.length} readings of ${device}`,
  ).catch(() => {}); // the comparison below says what is missing
  await Bun.sleep(500); // nothing more may arrive
  const got = (await stored(http, device)).map((r) => String(r.msg_id)).sort();
  expect(got).toEqual([...ids].sort());
}

const ids = (prefix: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${from + i}`);

describe("offsets given again", () => {
  test("iot.telemetry deleted by a Kafka client: the readings sent afterwards are stored", async () => {
    const serve = await startServeProcess({ dataDir: dirs.make() });
    const admin = new Kafka({
      brokers: [serve.kafkaAddress],
      clientId: "deleter",
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      const before = ids("del", 0, 5);
      await publish(serve.mqttPort, "del", before);
      await expectStoredOnce(serve.httpPort, "del", before);
      await admin.connect();
      await admin.deleteTopics({ topics: ["iot.telemetry"], timeout: 5000 });
      expect(await admin.listTopics()).not.toContain("iot.telemetry");
      const after = ids("del", 5, 5); // created again from offset 0 by the bridge's produce
      await publish(serve.mqttPort, "del", after);
      await expectStoredOnce(serve.httpPort, "del", [...before, ...after]);
    } finally {
      await admin.disconnect();
      await serve.stop();
    }
  }, 60_000);

  test("a torn log tail: the group committed past the end resets (logged), new readings stored", async () => {
    const dataDir = dirs.make();
    const ports = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
    const logFile = join(dirs.make(), "serve.log");
    let serve = await startServeProcess({ dataDir, ports, stderrFile: logFile });
    const before = ids("cut", 0, 6);
    try {
      await publish(serve.mqttPort, "cut", before);
      await expectStoredOnce(serve.httpPort, "cut", before);
      await Bun.sleep(1500); // the sink's offsets are committed (6) before the stop
    } finally {
      await serve.stop();
    }
    // the device's partition: cut in the middle of its 4th batch (offsets 3–5 are lost)
    const kafkaDir = join(dataDir, "kafka");
    const [segment] = readdirSync(kafkaDir)
      .filter((d) => d.startsWith("iot.telemetry-"))
      .map((d) => join(kafkaDir, d, "00000000000000000000.log"))
      .filter((f) => statSync(f).size > 0);
    const bytes = readFileSync(segment!);
    let end = 0;
    for (let batch = 0; batch < 3; batch++) end += 12 + bytes.readInt32BE(end + 8);
    truncateSync(segment!, end + 20);
    const partition = Number(segment!.split("iot.telemetry-")[1]!.split("/")[0]);

    serve = await startServeProcess({ dataDir, ports, stderrFile: logFile });
    try {
      const after = ids("cut", 6, 4); // at offsets 3–6: three of them had rows
      await publish(serve.mqttPort, "cut", after);
      await expectStoredOnce(serve.httpPort, "cut", [...before, ...after]);
      const log = readFileSync(logFile, "utf8");
      const reset = log
        .split("\n")
        .find((l) => l.includes("consumer group offset reset") && l.includes("group=iot-readings"));
      expect(reset).toContain("topic=iot.telemetry");
      expect(reset).toContain(`partition=${partition}`);
      expect(reset).toContain("from=6");
      expect(reset).toMatch(/ to=\d+/);
    } finally {
      await serve.stop();
    }
  }, 90_000);
});
