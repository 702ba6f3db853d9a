/**
 * `iot serve --database-url`: every dashboard page shows what is in PostgreSQL. Rows that only
 * PostgreSQL holds (written there directly, as another process of the fleet would) appear on
 * each page, the Overview's disk use card measures PostgreSQL, and the SQLite file in the data
 * dir holds no row of any of it.
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "../support/postgres.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-serve-pg-dash-");
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

/** rows a fleet's consumers would have written, each with a name no other test uses */
async function seed(db: SQL, now: number): Promise<{ alertId: number }> {
  const day = new Date(now).toLocaleDateString("sv-SE");
  await db.unsafe(`
    INSERT INTO devices (id, name, kind, x, y, status, online, last_seen) VALUES
      ('pg-only-pi', 'PG kitchen', 'pi', 3, 4, 'Active', true, ${now - 1000}),
      ('pg-only-cam', NULL, 'camera', NULL, NULL, NULL, true, ${now - 2000});
    INSERT INTO readings (device_id, ts, temperature, humidity) VALUES
      ('pg-only-pi', ${now - 3000}, 21.25, 44), ('pg-only-pi', ${now - 2000}, 21.75, 45),
      ('pg-only-pi', ${now - 1000}, 22.5, 46);
    INSERT INTO device_positions (device_id, ts, x, y) VALUES ('pg-only-pi', ${now - 1000}, 3, 4);
    INSERT INTO device_commands (device_id, ts, status, code) VALUES
      ('pg-only-pi', ${now - 500}, 'Inactive', 200);
    INSERT INTO images (device_id, ts, path, bytes) VALUES
      ('pg-only-cam', ${now - 2000}, 'images/pg-only-cam/1.jpg', 4321);
    INSERT INTO rooms (room_no, temperature, humidity, updated_at) VALUES (707, 31.5, 12, ${now - 1000});
    INSERT INTO room_readings (room_no, ts, temperature, humidity) VALUES
      (707, ${now - 61_000}, 30, 12), (707, ${now - 1000}, 31.5, 12);
    INSERT INTO rules (room_no, schedule_id, condition, state, updated_at) VALUES
      (707, 1, '{"temperature":{"agg_type":"max","up":28,"down":null}}', 'alert', ${now});
    INSERT INTO people (name, state, since, day, away_ms_today, flagged) VALUES
      ('pg-jane', 'out', ${now - 600_000}, '${day}', 0, false);
    INSERT INTO entrance_events (name, record_type, ts) VALUES ('pg-jane', 'out', ${now - 600_000});
    INSERT INTO bins (bin_count, bin_level, "full", m_time, ts) VALUES
      (77, '40', false, 'm1', ${now - 5000}), (77, 'FULL', true, 'm2', ${now - 4000});
  `);
  const [alert] = await db.unsafe(`
    INSERT INTO alerts (kind, subject, message, severity, state, created_at) VALUES
      ('room-rule', 'room 707 rule 1', 'room 707 too hot in PG', 'warning', 'open', ${now - 900})
    RETURNING id`);
  await db.unsafe(`
    INSERT INTO deliveries (alert_id, event_id, event, alert_key, channel, attempt, status, at)
    VALUES (${alert.id}, 'ev-pg', 'raised', 'room-rule:room 707 rule 1', 'pg-webhook', 1, 'sent', ${now - 800})`);
  return { alertId: Number(alert.id) };
}

test("iot serve --database-url: every dashboard page answers 200 with PostgreSQL's rows", async () => {
  const url = await pg.createDatabase();
  const dataDir = dirs.make();
  serve = await startServeProcess({ dataDir, args: ["--database-url", url] });
  const db = new SQL(url, { max: 1 });
  let alertId: number;
  try {
    ({ alertId } = await seed(db, Date.now()));
  } finally {
    await db.close();
  }
  const page = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${serve!.httpPort}${path}`);
    return { status: res.status, html: await res.text(), timing: res.headers.get("server-timing") };
  };
  // each page, and what on it only PostgreSQL holds
  const expected: Array<[string, RegExp[]]> = [
    [
      "/",
      [
        /pg-only-pi/,
        /room 707 too hot in PG/,
        /data-testid="overview-room-707"/,
        /data-testid="disk-total"/,
        /PostgreSQL database/,
        /data-testid="disk-readings"/,
      ],
    ],
    ["/rooms", [/Room 707/, /max temperature ≤ 28/, /room 707 too hot in PG/]],
    ["/rooms/707", [/Room 707/, /31\.5/]],
    ["/people", [/data-testid="person-pg-jane"/]],
    ["/people/pg-jane", [/pg-jane/, /10 min/]],
    ["/devices", [/data-testid="dot-pg-only-pi"/, /PG kitchen/, /pg-only-cam/]],
    ["/devices/pg-only-pi", [/PG kitchen/, /Inactive/]],
    ["/devices/pg-only-pi?confirm=delete", [/3 readings, 0 images/]],
    ["/bins", [/77/, /FULL/]],
    ["/cameras", [/pg-only-cam/]],
    ["/alerts", [new RegExp(`href="/alerts/${alertId}"`), /room 707 too hot in PG/]],
    [`/alerts/${alertId}`, [/room 707 rule 1/, /pg-webhook/]],
  ];
  for (const [path, patterns] of expected) {
    const { status, html, timing } = await page(path);
    if (process.env.DUMP_PAGES)
      await Bun.write(`/tmp/pgdash${path.replaceAll("/", "_")}.html`, html);
    expect({ path, status }).toEqual({ path, status: 200 });
    expect(timing).toMatch(/^render;dur=[\d.]+$/);
    for (const p of patterns)
      expect({ path, p, found: p.test(html) }).toEqual({ path, p, found: true });
  }
  expect((await page("/devices/nowhere")).status).toBe(404);
  expect((await page("/people/nobody")).status).toBe(404);
  expect((await page("/rooms/708")).status).toBe(404);

  // nothing of it in the SQLite file
  const sqlite = new Database(join(dataDir, "iot.db"), { readonly: true });
  try {
    for (const table of [
      "devices",
      "readings",
      "device_positions",
      "device_commands",
      "images",
      "rooms",
      "room_readings",
      "rules",
      "people",
      "entrance_events",
      "bins",
      "alerts",
      "deliveries",
    ])
      expect({
        table,
        n: sqlite.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n,
      }).toEqual({
        table,
        n: 0,
      });
  } finally {
    sqlite.close();
  }
}, 120_000);
