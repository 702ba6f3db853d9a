/**
 * What must still work after the fuzz: normal clients end to end on each listener, and the
 * Kafka data written before the fuzz, intact (also after a restart).
 */
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { until } from "../lib.ts";

export const keepTopic = "chaos-fuzz-keep"; // outside the fuzzers' `fz-*` name pool

const kafkaOf = (port: number) =>
  new Kafka({
    clientId: "chaos-fuzz",
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });

/** kafkajs produce with acks=all; resolves to the values acknowledged. */
export async function produceKeep(kafkaPort: number, values: string[]): Promise<string[]> {
  const producer = kafkaOf(kafkaPort).producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    await producer.send({
      topic: keepTopic,
      acks: -1,
      messages: values.map((value) => ({ partition: 0, value })),
    });
    return values;
  } finally {
    await producer.disconnect();
  }
}

/** Every value of the keep topic, partition 0, read by a kafkajs consumer group from the start. */
export async function consumeKeep(kafkaPort: number, expected: number): Promise<string[]> {
  const consumer = kafkaOf(kafkaPort).consumer({
    groupId: `chaos-fuzz-check-${Date.now()}`,
    sessionTimeout: 10_000,
  });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: keepTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void values.push(`${message.value}`),
    });
    await until(() => values.length >= expected, 30_000, 100);
    return values;
  } finally {
    await consumer.disconnect();
  }
}

/** mqtt.js QoS 1 publish of a reading, then the reading in the store via the JSON API. */
export async function mqttReadingStored(mqttPort: number, httpPort: number): Promise<boolean> {
  const device = `chaos-fuzz-after-${Date.now().toString(36)}`;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  });
  try {
    await client.publishAsync(`iot/${device}/telemetry`, JSON.stringify({ temperature: 21.5 }), {
      qos: 1,
    });
  } finally {
    await client.endAsync();
  }
  return until(
    async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/api/readings?device_id=${device}`);
      return res.ok && ((await res.json()) as unknown[]).length === 1;
    },
    30_000,
    200,
  );
}

/** A collector POST answered 200. */
export async function httpPostWorks(httpPort: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/entrance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "chaos-fuzz-after", value: "in" }),
  });
  return res.status === 200;
}

/** /healthz status ("ok", "degraded", …) and the components that are not up. */
export async function health(httpPort: number): Promise<{ status: string; detail: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    const body = (await res.json()) as { status: string; components?: Record<string, unknown> };
    return { status: body.status, detail: JSON.stringify(body).slice(0, 400) };
  } catch (e) {
    return { status: "unreachable", detail: String(e) };
  }
}
