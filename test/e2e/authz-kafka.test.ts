/**
 * Kafka authorization in protected mode (`--host 0.0.0.0`; the test talks over loopback), with
 * real clients (kafkajs, kafka-python over SASL/PLAIN): a device token writes only records about
 * itself, a reader token only reads, an admin token may do anything, and a revoked token's live
 * connection is closed within seconds.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { python } from "../support/run.ts";
import { createToken, revokeTokenOf } from "../support/token.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-authz-kafka-");
let dataDir: string;
let serve: ServeProcess;
let http: string;
const tokens: Record<string, string> = {};
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dataDir = dirs.make();
  for (const id of ["pi-k", "pi-seed", "pi-rev"])
    tokens[id] = await createToken(dataDir, "kafka", id);
  tokens.dash = await createToken(dataDir, "kafka", "dash", "reader");
  tokens.root = await createToken(dataDir, "kafka", "root", "admin");
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
  http = `http://127.0.0.1:${serve.httpPort}`;
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {});
  await serve?.stop();
  dirs.cleanup();
});

const kafka = (user: string) =>
  new Kafka({
    brokers: [serve.kafkaAddress],
    clientId: `test-${user}`,
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 }, // kafkajs finds the group coordinator only on a retry
    connectionTimeout: 5000,
    sasl: { mechanism: "plain", username: user, password: tokens[user]! },
  });
const producerOf = async (user: string): Promise<Producer> => {
  const p = kafka(user).producer({ allowAutoTopicCreation: true });
  await p.connect();
  closers.push(() => p.disconnect());
  return p;
};
const adminOf = async (user: string): Promise<Admin> => {
  const a = kafka(user).admin();
  await a.connect();
  closers.push(() => a.disconnect());
  return a;
};
/** why it failed (with the errors kafkajs wraps in one), or "ok" */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: Error & { errors?: Error[] }) =>
      [e.message, ...(e.errors ?? []).map((inner) => inner.message)].join(": "),
  );
const readings = async (id: string) =>
  ((await (await fetch(`${http}/api/readings?device_id=${id}`)).json()) as unknown[]).length;
const seedReading = (mId: string) =>
  JSON.stringify({ m_id: mId, datetime: "2026-11-22 10:00:00", temp: "21.5" });

describe("Kafka roles in protected mode", () => {
  test("a device token writes records about itself only", async () => {
    const p = await producerOf("pi-k");
    const send = (topic: string, key: string | null, value: string) =>
      outcome(p.send({ topic, acks: -1, messages: [{ key, value }] }));
    const telemetry = JSON.stringify({ temperature: 21 });
    expect(await send("iot.telemetry", "pi-k", telemetry)).toBe("ok");
    expect(await send("temp_test", null, seedReading("pi-k"))).toBe("ok");
    const refused = {
      "another device's key": await send("iot.telemetry", "pi-other", telemetry),
      "another device's m_id": await send("temp_test", null, seedReading("pi-other")),
      "a record naming no device": await send("temp_test", null, "{}"),
      "a command": await send("iot.command", "pi-k", "Inactive"),
      "a dead letter": await send("iot.dead-letter", "pi-k", "x"),
      "an entrance event": await send("entrance", "jane", '{"record_type":"in","value":1}'),
    };
    for (const [what, why] of Object.entries(refused))
      expect({ what, why }).toEqual({ what, why: expect.stringMatching(/not authorized/i) });
    await waitFor(async () => (await readings("pi-k")) === 2, 15_000, "pi-k's two readings");
    await Bun.sleep(500);
    expect(await readings("pi-other")).toBe(0);
  });

  test("a device token cannot delete or create topics, nor commit for the server's groups", async () => {
    const admin = await adminOf("pi-k");
    expect(await outcome(admin.deleteTopics({ topics: ["temp_test"], timeout: 5000 }))).toMatch(
      /not authorized|authorization/i,
    );
    expect(await admin.listTopics()).toContain("temp_test");
    expect(
      await outcome(admin.createTopics({ topics: [{ topic: "junk" }], timeout: 5000 })),
    ).toMatch(/not authorized|authorization/i);
    expect(await admin.listTopics()).not.toContain("junk");
    const commit = admin.setOffsets({
      groupId: "iot-readings",
      topic: "temp_test",
      partitions: [{ partition: 0, offset: "0" }],
    });
    expect(await outcome(commit)).toMatch(/not authorized|authorization/i);
  });

  test("a reader token consumes in its own group, writes nothing, and keeps off iot's groups", async () => {
    const admin = await adminOf("root");
    await (
      await producerOf("root")
    ).send({
      topic: "reader-check",
      acks: -1,
      messages: [{ key: "a", value: "hello reader" }],
    });
    const consumer = kafka("dash").consumer({ groupId: "dash-1" });
    closers.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic: "reader-check", fromBeginning: true });
    const got = new Promise<string>((resolve) =>
      consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }),
    );
    expect(await got).toBe("hello reader");
    await waitFor(
      async () =>
        (await admin.fetchOffsets({ groupId: "dash-1", topics: ["reader-check"] }))
          .flatMap((t) => t.partitions)
          .some((p) => Number(p.offset) > 0),
      15_000,
      "dash-1's commit",
    );

    const writer = await producerOf("dash");
    expect(
      await outcome(writer.send({ topic: "reader-check", messages: [{ value: "no" }] })),
    ).toMatch(/not authorized/i);
    const readerAdmin = await adminOf("dash");
    expect(
      await outcome(readerAdmin.fetchOffsets({ groupId: "iot-readings", topics: ["temp_test"] })),
    ).toMatch(/not authorized|authorization/i);
    expect(await outcome(readerAdmin.deleteTopics({ topics: ["reader-check"] }))).toMatch(
      /not authorized|authorization/i,
    );
  });

  test("an admin token may create and delete topics", async () => {
    const admin = await adminOf("root");
    await admin.createTopics({ topics: [{ topic: "scratch", numPartitions: 1 }] });
    expect(await admin.listTopics()).toContain("scratch");
    await admin.deleteTopics({ topics: ["scratch"] });
    expect(await admin.listTopics()).not.toContain("scratch");
  });

  test("the seed's kafka-python producer (gzip, acks=0) works with a device token", async () => {
    const seed = `
import json, sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1], compression_type='gzip', acks=0,
                  security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN',
                  sasl_plain_username=sys.argv[2], sasl_plain_password=sys.argv[3],
                  value_serializer=lambda v: json.dumps(v).encode('utf-8'))
for i in range(5):
    p.send('temp_test', {"m_id": sys.argv[2], "datetime": "2026-11-22 10:00:%02d" % i, "temp": "%.1f" % (20 + i)})
p.flush()
p.close()
print("sent")
`;
    const r = await python(seed, [serve.kafkaAddress, "pi-seed", tokens["pi-seed"]!]);
    expect(r.stdout.trim()).toBe("sent");
    await waitFor(async () => (await readings("pi-seed")) === 5, 20_000, "the seed's readings");
  });
});

describe("revocation", () => {
  test("a revoked Kafka token's live connection is closed within seconds", async () => {
    const p = await producerOf("pi-rev");
    const send = () =>
      outcome(
        p.send({
          topic: "iot.telemetry",
          acks: -1,
          messages: [{ key: "pi-rev", value: JSON.stringify({ temperature: 20 }) }],
        }),
      );
    expect(await send()).toBe("ok");
    const revokedAt = Date.now();
    await revokeTokenOf(dataDir, "pi-rev");
    // the connection it has is closed; logging in again is refused
    await waitFor(async () => (await send()) !== "ok", 15_000, "the revoked producer stopped");
    console.log(`revoked Kafka producer refused after ${Date.now() - revokedAt} ms`);
    expect(await send()).toMatch(/SASL|authenticat|closed|connect/i);
  });
});
