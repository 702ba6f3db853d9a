/**
 * `iot serve --database-url`: every sink, the alerts they raise and the notify outbox write
 * PostgreSQL — an image (its file in the data dir, its row in PostgreSQL), a bin level going FULL,
 * entrance events that leave someone away too long (the presence re-check timer), a room rule
 * and a room reading that raises it — and the data dir's SQLite file holds none of it.
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { afterAll, beforeAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "../support/postgres.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-serve-pg-sinks-");
let pg: PostgresCluster;
let serve: ServeProcess | undefined;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  if (serve && serve.proc.exitCode === null) await serve.stop();
  await pg?.stop();
  dirs.cleanup();
});

// a valid JPEG: SOI, a SOF0 of 32x16, EOI
const jpeg = Buffer.from([
  0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 16, 0, 32, 3, 1, 34, 1, 2, 17, 1, 0xff, 0xd9,
]);
const tables = [
  "images",
  "bins",
  "entrance_events",
  "people",
  "room_readings",
  "rooms",
  "rules",
  "alerts",
  "notify_outbox",
  "devices",
  "readings",
  "device_commands",
];

test("iot serve --database-url: images, bins, presence, rooms and their alerts in PostgreSQL only", async () => {
  const url = await pg.createDatabase();
  const dataDir = dirs.make();
  serve = await startServeProcess({
    dataDir,
    args: ["--database-url", url, "--database-pool", "4", "--presence-min-away-seconds", "1"],
  });
  const http = `http://127.0.0.1:${serve.httpPort}`;
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${http}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(200);
  };
  const db = new SQL(url, { max: 1 });
  const one = async (query: string) => (await db.unsafe(query))[0] as Record<string, unknown>;
  try {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
      protocolVersion: 5,
    });
    await client.publishAsync("iot/cam-1/image", jpeg, {
      qos: 1,
      properties: { userProperties: { msg_id: "shot-1" } },
    });
    await client.publishAsync("hello/world", "FULL 4 2026-12-01 08:00:00", { qos: 1 });
    await client.endAsync();
    await post("/office_rule", {
      room_no: 3,
      value: {
        schedule_id: 1,
        order: "insert",
        condition: { temperature: { agg_type: "max", up: 25, down: null } },
      },
    });
    await waitFor(async () => (await db`SELECT 1 FROM rules`).length === 1, 30_000, "the rule");
    await post("/office_status", { room_no: 3, status: { temperature: 31, humidity: 40 } });
    for (const [name, value] of [
      ["bob", "in"],
      ["ann", "in"],
      ["jane", "out"],
    ])
      await post("/entrance", { name, value });

    const openAlert = (kind: string) => async () =>
      (await db`SELECT 1 FROM alerts WHERE kind = ${kind} AND state = 'open'`).length === 1;
    await waitFor(openAlert("bin-full"), 30_000, "the bin's alert in PostgreSQL");
    await waitFor(openAlert("room-rule"), 30_000, "the rule's alert in PostgreSQL");
    // jane is out past the 1 s minimum: the re-check timer flags her (nobody else is out)
    await waitFor(openAlert("away-too-long"), 30_000, "jane's alert in PostgreSQL");

    const image = await one("SELECT device_id, msg_id, path, width, height FROM images");
    expect(image).toMatchObject({ device_id: "cam-1", msg_id: "shot-1", width: 32, height: 16 });
    expect(existsSync(String(image.path))).toBe(true);
    expect(String(image.path).startsWith(join(dataDir, "images"))).toBe(true);
    expect(await one('SELECT bin_count, "full" FROM bins')).toEqual({ bin_count: 4, full: true });
    expect(await one("SELECT count(*)::int AS n FROM entrance_events")).toEqual({ n: 3 });
    expect(await one("SELECT state, flagged FROM people WHERE name = 'jane'")).toEqual({
      state: "out",
      flagged: true,
    });
    expect(await one("SELECT room_no, temperature FROM room_readings")).toEqual({
      room_no: 3,
      temperature: 31,
    });
    expect(await one("SELECT state FROM rules")).toEqual({ state: "alert" });
    // the relay moved the alerts' events from PostgreSQL's outbox onto Kafka
    await waitFor(
      async () => (await one("SELECT count(*)::int AS n FROM notify_outbox")).n === 0,
      30_000,
      "the outbox drained",
    );
    expect(await one("SELECT count(*)::int AS n FROM alerts")).toEqual({ n: 3 });

    // acknowledged through the API: the alert in PostgreSQL changes
    const [rule] = await db`SELECT id FROM alerts WHERE kind = 'room-rule'`;
    const ack = await fetch(`${http}/api/alerts/${rule.id}/ack`, { method: "POST" });
    expect(ack.status).toBe(200);
    expect(await one(`SELECT state FROM alerts WHERE id = ${Number(rule.id)}`)).toEqual({
      state: "acknowledged",
    });

    // a status command through the collector: the desired status and the command's history
    await post("/status/cam-1", { status: "Inactive" });
    expect(await one("SELECT desired_status FROM devices WHERE id = 'cam-1'")).toEqual({
      desired_status: "Inactive",
    });
    expect(await one("SELECT status, code FROM device_commands WHERE device_id = 'cam-1'")).toEqual(
      { status: "Inactive", code: 200 },
    );
  } finally {
    await db.close();
    await serve.stop();
  }
  // none of it went to the SQLite file
  const sqlite = new Database(join(dataDir, "iot.db"), { readonly: true });
  try {
    const counts = Object.fromEntries(
      tables.map((t) => [
        t,
        (sqlite.query(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
      ]),
    );
    expect(counts).toEqual(Object.fromEntries(tables.map((t) => [t, 0])));
  } finally {
    sqlite.close();
  }
}, 120_000);
