/**
 * `iot serve --database-url`, protected (bound to 0.0.0.0; the test talks over 127.0.0.1): every
 * /api list, its CSV, history, series, the alert triage and device writes answer from
 * PostgreSQL, and the tokens `iot token create --database-url` wrote there log in over HTTP,
 * MQTT and Kafka. The SQLite file in the data dir holds none of it.
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { afterAll, beforeAll, expect, test } from "bun:test";
import mqtt from "mqtt";
import { join } from "node:path";
import { openPostgresEngine } from "../../src/store/engine/open-postgres.ts";
import { startPostgres, type PostgresCluster } from "../support/postgres.ts";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-serve-pg-api-");
const main = join(import.meta.dir, "../../src/main.ts");
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

const T = 1_764_028_800_000; // 2025-11-25T00:00:00Z
let offset = 0;
const src = () => ({
  srcTopic: "seeded",
  srcPartition: 0,
  srcOffset: offset++,
  srcEpoch: 0,
  srcTimestamp: T,
});

/** Rows only PostgreSQL has: whatever the API answers with them came from there. */
async function seed(url: string) {
  const engine = await openPostgresEngine(url, { pool: 1 });
  try {
    await engine.transaction(async (tx) => {
      for (let i = 0; i < 5; i++)
        await tx.readings.insert({
          deviceId: "pg-dev",
          ts: T + i * 60_000,
          temperature: 20 + i,
          humidity: 40,
          msgId: `pg-${i}`,
          ...src(),
        });
      await tx.devices.report({ id: "pg-dev", kind: "sensor", online: true, ts: T, x: 1, y: 2 });
      await tx.images.insert({
        deviceId: "pg-cam",
        ts: T,
        path: "/nowhere/pg-cam/1.jpg",
        bytes: 4321,
        width: 64,
        height: 48,
        msgId: "pg-img",
        ...src(),
      });
      await tx.bins.insert({
        binCount: 7,
        binLevel: "55",
        full: false,
        mTime: "2025-11-25 00:00:00",
        ts: T,
        msgId: "pg-bin",
        ...src(),
      });
      await tx.presence.insertEvent({ name: "pg-person", recordType: "in", ts: T, ...src() });
      await tx.presence.savePerson({
        name: "pg-person",
        state: "in",
        since: T,
        day: "2025-11-25",
        awayMsToday: 0,
        flagged: false,
      });
      await tx.rooms.insertReading({ roomNo: 42, ts: T, temperature: 23, humidity: 45, ...src() });
      await tx.rooms.saveRule(
        { roomNo: 42, scheduleId: 1, condition: { temperature: { up: 30 } }, state: "ok" },
        T,
      );
      await tx.alerts.open("pg-kind", "room 42", "seeded in PostgreSQL", "critical", T);
    });
  } finally {
    await engine.close();
  }
}

const iot = (...args: string[]) => run([process.execPath, main, ...args]);

test("iot serve --database-url: the JSON API, CSV and tokens are PostgreSQL's", async () => {
  const url = await pg.createDatabase();
  const dataDir = dirs.make();
  await seed(url);
  const token = async (kind: string, subject: string) => {
    const r = await iot(
      "token",
      "create",
      "--database-url",
      url,
      "--kind",
      kind,
      "--subject",
      subject,
    );
    expect(r.code).toBe(0);
    return r.stdout.trim();
  };
  const tokens = {
    http: await token("http", "ops"),
    device: await token("device", "pg-pi"),
    kafka: await token("kafka", "pg-kafka"),
  };
  const listed = await iot("token", "list", "--database-url", url);
  expect(listed.stdout.split("\n").filter(Boolean)).toHaveLength(3);

  serve = await startServeProcess({
    dataDir,
    args: ["--host", "0.0.0.0", "--database-url", url, "--database-pool", "3"],
  });
  const http = `http://127.0.0.1:${serve.httpPort}`;
  const get = async (path: string) => {
    const res = await fetch(http + path);
    expect(res.status, path).toBe(200);
    return res;
  };
  const json = async (path: string) => (await get(path)).json();

  expect((await json("/api/readings")).map((r: { msg_id: string }) => r.msg_id)).toEqual([
    "pg-4",
    "pg-3",
    "pg-2",
    "pg-1",
    "pg-0",
  ]);
  const csv = await (await get("/api/readings?device_id=pg-dev&limit=2&format=csv")).text();
  expect(csv.split("\r\n")[0]).toBe("id,device_id,ts,ts_ms,temperature,humidity,msg_id");
  expect(csv).toContain(",pg-dev,2025-11-25T00:04:00.000+00:00,1764029040000,24,40,pg-4\r\n");
  expect((await json("/api/images"))[0]).toMatchObject({ device_id: "pg-cam", bytes: 4321 });
  expect((await json("/api/bins"))[0]).toMatchObject({ bin_count: 7, bin_level: 55 });
  expect((await json("/api/devices")).map((d: { id: string }) => d.id)).toContain("pg-dev");
  expect((await json("/api/rooms"))[0]).toMatchObject({ room_no: 42, temperature: 23 });
  expect((await json("/api/rules"))[0]).toMatchObject({
    room_no: 42,
    condition: { temperature: { up: 30 } },
  });
  expect((await json("/api/people"))[0]).toMatchObject({ name: "pg-person", state: "in" });
  const [alert] = await json("/api/alerts?state=open");
  expect(alert).toMatchObject({ kind: "pg-kind", message: "seeded in PostgreSQL" });
  expect(await json("/api/alerts/count?state=open")).toEqual({ state: "open", count: 1 });
  expect((await json("/api/alerts/groups")).groups[0]).toMatchObject({ kind: "pg-kind", count: 1 });
  const history = await json("/api/history/readings?device_id=pg-dev&bucket=1h");
  expect(history.data).toEqual([
    expect.objectContaining({ bucket_ms: T, count: 5, temperature_mean: 22 }),
  ]);
  const historyCsv = await (await get("/api/history/presence?format=csv")).text();
  expect(historyCsv).toContain(",pg-person,in,");
  for (const kind of ["rooms", "bins", "alerts"])
    expect((await json(`/api/history/${kind}`)).data, kind).toHaveLength(1);
  const series = await json(
    `/api/series?device_id=pg-dev&since=${T}&until=${T + 3600_000}&bucket_ms=60000`,
  );
  expect(series.n).toEqual([1, 1, 1, 1, 1]);

  // writes: refused without a token; the http token from PostgreSQL lets them through
  const post = (path: string, body: unknown, auth = true) =>
    fetch(http + path, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(auth ? { authorization: `Bearer ${tokens.http}` } : {}),
      },
      body: JSON.stringify(body),
    });
  expect((await post(`/api/alerts/${alert.id}/ack`, {}, false)).status).toBe(401);
  const acked = await post(`/api/alerts/${alert.id}/ack`, {});
  expect(acked.status).toBe(200);
  expect((await acked.json()).state).toBe("acknowledged");
  expect((await post("/devices/pg-dev/rename", { name: "Kitchen" })).status).toBe(200);
  const db = new SQL(url, { max: 1 });
  try {
    expect((await db`SELECT state FROM alerts WHERE id = ${alert.id}`)[0].state).toBe(
      "acknowledged",
    );
    expect((await db`SELECT name FROM devices WHERE id = 'pg-dev'`)[0].name).toBe("Kitchen");
    // a sign-in's session is a PostgreSQL row
    const login = await fetch(`${http}/login`, {
      method: "POST",
      body: new URLSearchParams({ token: tokens.http }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(Number((await db`SELECT count(*) AS n FROM sessions`)[0].n)).toBe(1);
  } finally {
    await db.close();
  }

  // MQTT and Kafka logins check the tokens in PostgreSQL
  const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
    clientId: "pg-pi",
    username: "pg-pi",
    password: tokens.device,
    reconnectPeriod: 0,
  });
  await device.endAsync();
  await expect(
    mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
      clientId: "pg-pi",
      username: "pg-pi",
      password: "iot_device_wrong",
      reconnectPeriod: 0,
    }),
  ).rejects.toThrow();
  const kcat = (password: string) =>
    run(
      [
        "kcat",
        "-b",
        serve!.kafkaAddress,
        "-L",
        "-m",
        "5",
        ...["-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=PLAIN"],
        ...["-X", "sasl.username=pg-kafka", "-X", `sasl.password=${password}`],
      ],
      { timeoutMs: 20_000 },
    );
  expect((await kcat(tokens.kafka)).code).toBe(0);
  expect((await kcat("iot_kafka_wrong")).code).not.toBe(0);

  await serve.stop();
  // none of it is in the SQLite file
  const sqlite = new Database(join(dataDir, "iot.db"), { readonly: true });
  try {
    for (const table of ["tokens", "sessions", "readings", "alerts"])
      expect(sqlite.query(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
  } finally {
    sqlite.close();
  }
}, 180_000);
