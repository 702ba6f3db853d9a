/**
 * One large compressed record must not stop a sink: the seed's own client (kafka-python, gzip)
 * puts a record on `temp_test` that decompresses to 20 MiB; `iot serve` (a child process)
 * dead-letters it in reduced form and goes on storing the MQTT readings sent after it, each
 * once. And a consumer that cannot get past a batch (its sink's folder made unusable) turns
 * /healthz degraded with the reason, until it recovers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { readTopic } from "../bridge/read-topic.ts";
import { tinyJpeg } from "../support/jpeg.ts";
import { python } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const MiB = 1 << 20;
const dirs = tempDirs("iot-poison-");
const dataDir = dirs.make();
let serve: ServeProcess;
const http = () => `http://127.0.0.1:${serve.httpPort}`;

// explicit hook timeouts: a loaded machine can take more than the default 5 s to start
beforeAll(async () => {
  serve = await startServeProcess({ dataDir, args: ["--log-level", "error"] });
}, 60_000);
afterAll(async () => {
  await serve?.stop();
  dirs.cleanup();
}, 30_000);

// As the seed's Pi producer (gzip), with a header, sending 20 MiB that compress to ~20 KiB.
const bombProducer = `
import sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1], compression_type='gzip', acks=1,
                  max_request_size=64 * 1024 * 1024, buffer_memory=128 * 1024 * 1024)
value = b'{"m_id":"bomb","temp":"' + b'9' * (20 * 1024 * 1024 - 25) + b'"}'
p.send('temp_test', value, headers=[('msg_id', b'bomb-1')]).get(timeout=30)
p.flush()
p.close()
print(len(value))
`;

async function publishReadings(device: string, n: number): Promise<void> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
    clientId: `poison-${device}`,
    reconnectPeriod: 0,
  });
  for (let i = 0; i < n; i++)
    await client.publishAsync(
      `iot/${device}/telemetry`,
      JSON.stringify({ temperature: 20 + i, msg_id: `${device}-${i}` }),
      { qos: 1 },
    );
  await client.endAsync();
}

const readings = async (device: string): Promise<unknown[]> =>
  (await fetch(`${http()}/api/readings?device_id=${device}`)).json() as Promise<unknown[]>;

describe("a record too large to handle whole", () => {
  test("a 20 MiB gzip record on temp_test is dead-lettered reduced; readings after it are stored once", async () => {
    await publishReadings("before", 3);
    const sent = await python(bombProducer, [serve.kafkaAddress]);
    expect(sent.stderr).toBe("");
    expect(sent.stdout.trim()).toBe(String(20 * MiB));
    await publishReadings("after", 5);

    await waitFor(async () => (await readings("after")).length === 5, 30_000, "readings after");
    const letters = await readTopic(serve.kafkaAddress, "iot.dead-letter", 1, 20_000);
    expect(letters).toHaveLength(1);
    const letter = letters[0]!;
    expect(letter.headers).toMatchObject({
      reduced: "true",
      "original-size": String(20 * MiB),
      topic: "temp_test",
      "original.msg_id": "bomb-1",
    });
    expect(letter.headers.reason).toBe(
      `record too large: value of ${20 * MiB} bytes, limit ${8 * MiB} (--kafka-max-record-bytes)`,
    );
    expect(letter.headers.source).toBe(
      `kafka:temp_test/${letter.headers.partition}@${letter.headers.offset}`,
    );
    expect(letter.value.length).toBe(1024);
    expect(`${letter.value}`).toStartWith('{"m_id":"bomb","temp":"999');

    await Bun.sleep(1000); // duplicates would show by now
    expect(await readings("before")).toHaveLength(3);
    expect(await readings("after")).toHaveLength(5);
    const health = await fetch(`${http()}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { components: Record<string, { state: string }> };
    expect(body.components.consumers!.state).toBe("up");
    expect(serve.proc.exitCode).toBeNull();
  }, 60_000);

  test("a consumer stuck in a crash loop makes /healthz degraded with the reason; recovering clears it", async () => {
    // a careless hand: a plain file where the images sink keeps its folder
    const blocker = join(dataDir, "images");
    writeFileSync(blocker, "not a folder");
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
      clientId: "poison-cam",
      reconnectPeriod: 0,
    });
    await client.publishAsync("iot/cam-1/image", tinyJpeg(7), { qos: 1 });
    await client.endAsync();

    type Report = {
      status: string;
      components: { consumers: { state: string; detail: { problems?: string[] } } };
    };
    let report: Report | undefined;
    let status = 0;
    await waitFor(
      async () => {
        const res = await fetch(`${http()}/healthz`);
        status = res.status;
        report = (await res.json()) as Report;
        return report.status === "degraded";
      },
      30_000,
      "healthz degraded",
    );
    expect(status).toBe(503);
    expect(report!.components.consumers.state).toBe("degraded");
    expect(report!.components.consumers.detail.problems![0]).toMatch(
      /^images: crash loop, \d+ restarts in the last 300 s without progress \(last error: .*(ENOTDIR|EEXIST)/,
    );
    const metrics = await (await fetch(`${http()}/metrics`)).text();
    expect(metrics).toMatch(/iot_consumer_restarts_total\{consumer="images",kind="batch"\} [3-9]/);

    rmSync(blocker);
    await waitFor(
      async () => (await fetch(`${http()}/healthz`)).status === 200,
      30_000,
      "healthz ok again",
    );
    const images = (await (
      await fetch(`${http()}/api/images?device_id=cam-1`)
    ).json()) as unknown[];
    expect(images).toHaveLength(1);
  }, 60_000);
});
