/**
 * `iot serve --database-url`: readings published over MQTT (QoS 1, some twice) land in a real
 * PostgreSQL once each, device rows and trails with them; after a `kill -9` mid-stream and a
 * restart, the redelivered batches add nothing. The SQLite file in the data dir gets none of them.
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { afterAll, beforeAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "../support/postgres.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-serve-pg-");
let pg: PostgresCluster;
let serve: ServeProcess | undefined;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  if (serve && serve.proc.exitCode === null) await serve.stop();
  await pg?.stop();
  dirs.cleanup();
});

const T = 1_800_000_000_000;

/** Publishes readings `ids` (QoS 1, each awaited); `client` to cut it off when its broker dies. */
async function publisher(port: number, device: string) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  const publish = async (ids: number[]) => {
    for (const i of ids)
      await client.publishAsync(
        `iot/${device}/telemetry`,
        JSON.stringify({ ts: T + i, temperature: 20 + (i % 10), humidity: 40 }),
        { qos: 1, properties: { userProperties: { msg_id: `${device}-${i}` } } },
      );
  };
  return { client, publish };
}
async function publishReadings(port: number, device: string, ids: number[]) {
  const p = await publisher(port, device);
  await p.publish(ids);
  await p.client.endAsync();
}

test("iot serve --database-url: every reading stored once in PostgreSQL, across a kill -9", async () => {
  const url = await pg.createDatabase();
  const dataDir = dirs.make();
  const args = ["--database-url", url, "--database-pool", "3"];
  serve = await startServeProcess({ dataDir, args });
  const ports = { http: serve.httpPort, kafka: serve.kafkaPort, mqtt: serve.mqttPort };
  const db = new SQL(url, { max: 1 });
  const count = async (where = "TRUE") =>
    Number((await db.unsafe(`SELECT count(*) AS n FROM readings WHERE ${where}`))[0].n);
  try {
    // 0..59, with 10..19 sent a second time (a device resending after a lost PUBACK)
    const first = Array.from({ length: 60 }, (_, i) => i);
    await publishReadings(serve.mqttPort, "pg-a", [...first, ...first.slice(10, 20)]);
    // a coffee device: its row and its trail go to PostgreSQL too (the devices sink)
    const coffee = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`);
    await coffee.publishAsync(
      "coffee",
      JSON.stringify({ id: "3DF92-192", x: 1, y: 2, status: "Active" }),
      { qos: 1 },
    );
    await coffee.endAsync();
    await waitFor(async () => (await count()) >= 60, 30_000, "60 readings in PostgreSQL");
    await waitFor(
      async () => (await db`SELECT 1 FROM devices WHERE id = '3DF92-192'`).length === 1,
      30_000,
      "the coffee device in PostgreSQL",
    );

    // killed mid-stream: whatever was stored but not committed to Kafka is fetched again
    const more = Array.from({ length: 60 }, (_, i) => 60 + i);
    const cut = await publisher(serve.mqttPort, "pg-a");
    void cut.publish(more).catch(() => {}); // the broker goes away under it
    await waitFor(async () => (await count()) > 60, 30_000, "the second batch under way");
    serve.proc.kill("SIGKILL");
    await serve.proc.exited;
    cut.client.end(true);
    serve = await startServeProcess({ dataDir, args, ports });
    // the rest again (the device's outbox resends what was not acknowledged), and a sentinel
    await publishReadings(serve.mqttPort, "pg-a", [...more, 1000]);
    await waitFor(async () => (await count("msg_id = 'pg-a-1000'")) === 1, 30_000, "the sentinel");

    const rows =
      (await db`SELECT msg_id, count(*)::int AS n FROM readings GROUP BY msg_id`) as Array<{
        msg_id: string;
        n: number;
      }>;
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows.map((r) => r.msg_id).sort()).toEqual(
      [...first, ...more, 1000].map((i) => `pg-a-${i}`).sort(),
    );
    const [device] = await db`SELECT last_seen, online FROM devices WHERE id = 'pg-a'`;
    expect(device).toEqual({ last_seen: String(T + 1000), online: true });
    const [trail] =
      await db`SELECT count(*)::int AS n FROM device_positions WHERE device_id = '3DF92-192'`;
    expect(trail.n).toBe(1);
  } finally {
    await db.close();
  }
  // none of it went to the SQLite file
  const sqlite = new Database(join(dataDir, "iot.db"), { readonly: true });
  try {
    expect(sqlite.query("SELECT count(*) AS n FROM readings").get()).toEqual({ n: 0 });
  } finally {
    sqlite.close();
  }
}, 120_000);

test("iot serve --database-url to a server that is not there: exit 1, one line, no password", async () => {
  const dataDir = dirs.make();
  const url = `postgres://iot:secret-pw@127.0.0.1:${pg.port + 1}/nowhere`;
  const proc = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, "../../src/main.ts"),
      "serve",
      "--data-dir",
      dataDir,
      ...["--http-port", "0", "--kafka-port", "0", "--mqtt-port", "0"],
      "--database-url",
      url,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  expect(code).toBe(1);
  expect(err).toBe(
    `iot serve: cannot start: postgres://iot:***@127.0.0.1:${pg.port + 1}/nowhere: Failed to connect\n`,
  );
});
