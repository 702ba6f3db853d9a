/**
 * Bad payloads on every MQTT path `iot serve` maps (iot/<id>/telemetry|image|status, coffee,
 * hello/world): each lands on `iot.dead-letter` with a `reason` header saying what is wrong —
 * from the bridge (not JSON, no key) or from the sink that cannot use it (wrong types) — read
 * back with kafkajs, while a good message after them is still stored and the server lives on.
 */
import { describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { readTopic } from "../bridge/read-topic.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { waitFor } from "../support/wait.ts";

const iot = useServeProcess("iot-bad-mqtt-");

/** Each payload is unique, so its dead letter is found by its bytes. */
const cases: Array<[topic: string, payload: string | Buffer, reason: RegExp]> = [
  ["iot/bad-t1/telemetry", "{not json t1", /^invalid JSON/],
  ["iot/bad-t2/telemetry", "[1,2]", /^payload must be a JSON object$/],
  ["iot/bad-t3/telemetry", '{"temperature":"hot"}', /^temperature: expected a number/],
  ["iot/bad-t4/telemetry", '{"pressure":1013}', /neither temperature nor humidity/],
  ["iot/bad-t5/telemetry", '{"temperature":20,"ts":"someday"}', /^ts: expected a time/],
  ["iot//telemetry", '{"temperature":20,"empty":"id"}', /topic level that names the key is empty/],
  ["iot/bad-t6/telemetry", '{"temperature":20,"msg_id":42}', /^field 'msg_id' must be a string/],
  [
    "iot/bad-t7/telemetry",
    `{"temperature":20,"msg_id":"${"x".repeat(129)}"}`,
    /^field 'msg_id' must be a string of 1–128 characters$/,
  ],
  ["iot/bad-i1/image", "not a jpeg at all", /^not a JPEG/],
  ["iot/bad-i2/image", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), /^truncated JPEG/],
  ["iot/bad-s1/status", "{not json s1", /^invalid JSON/],
  ["iot/bad-s2/status", '{"status":5}', /^status: expected a string/],
  ["coffee", "", /^invalid JSON/],
  ["coffee", '{"x":1,"y":2}', /^field 'id' must be a non-empty string$/],
  [
    "coffee",
    '{"id":"bad-c1","x":1,"y":2,"status":"Sleeping"}',
    /^status: expected Active or Inactive/,
  ],
  ["hello/world", "garbage", /^expected "<level> <bin_count> <date> <time>"/],
  ["hello/world", "HALF 3 2026-11-22 10:00:00", /^level: expected a number or FULL/],
  ["hello/world", "50 x 2026-11-22 10:00:00", /^bin_count: expected an integer/],
];

describe("bad MQTT payloads go to iot.dead-letter with the reason", () => {
  test("every mapped path, bridge-level and sink-level reasons alike", async () => {
    const url = `mqtt://127.0.0.1:${iot.serve.mqttPort}`;
    const client = await mqtt.connectAsync(url, { clientId: "bad-payloads", reconnectPeriod: 0 });
    for (const [topic, payload] of cases) await client.publishAsync(topic, payload, { qos: 1 });
    // a good one after them all still gets through
    await client.publishAsync("iot/good-1/telemetry", JSON.stringify({ temperature: 21 }), {
      qos: 1,
    });
    await client.endAsync();

    const letters = await readTopic(
      iot.serve.kafkaAddress,
      "iot.dead-letter",
      cases.length,
      30_000,
    );
    const missing: string[] = [];
    for (const [topic, payload, reason] of cases) {
      const letter = letters.find((l) => l.value.equals(Buffer.from(payload)));
      if (!letter || !reason.test(letter.headers.reason ?? ""))
        missing.push(`${topic} ${String(payload).slice(0, 30)}: ${letter?.headers.reason}`);
      else expect(letter.headers.source).toMatch(/^(mqtt:|kafka:iot\.|kafka:coffee|kafka:hello)/);
    }
    expect(missing).toEqual([]);
    expect(letters).toHaveLength(cases.length);

    await waitFor(
      async () =>
        (await (await fetch(`${iot.http}/api/readings?device_id=good-1`)).json()).length === 1,
      15_000,
      "the good reading",
    );
    expect(iot.serve.proc.exitCode).toBeNull();
  }, 60_000);
});
