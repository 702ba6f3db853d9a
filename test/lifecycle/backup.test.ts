/**
 * `iot backup` beside a real `iot serve` that keeps ingesting (MQTT QoS 1 into its embedded
 * broker), then `iot restore` into a new data dir and a serve started on it: each a real process.
 */
import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { tinyJpeg } from "../support/jpeg.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-backup-");
const servers: ServeProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  dirs.cleanup();
});

const root = join(import.meta.dir, "../..");

async function iot(args: string[]) {
  const proc = Bun.spawn([process.execPath, join(root, "src/main.ts"), ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, out, err };
}

const api = async (s: ServeProcess, path: string) =>
  (await fetch(`http://127.0.0.1:${s.httpPort}${path}`)).json();

test("a backup taken while serve ingests has every row stored before it; restore brings it back", async () => {
  const dataDir = dirs.make();
  // a lifecycle pass 10 s after start, then every minute: /metrics gets the disk use per kind
  const serve = await startServeProcess({ dataDir, args: ["--lifecycle-interval-minutes", "1"] });
  servers.push(serve);
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
    clientId: "backup-test",
  });
  // stored before the backup starts: 200 readings and 3 images, seen through the API
  for (let i = 0; i < 200; i++)
    await client.publishAsync("iot/before/telemetry", JSON.stringify({ temperature: i }), {
      qos: 1,
    });
  for (let i = 0; i < 3; i++)
    await client.publishAsync("iot/cam/image", tinyJpeg(100 + i), { qos: 1 });
  await waitFor(
    async () =>
      (await api(serve, "/api/readings?device_id=before&limit=1000")).length === 200 &&
      (await api(serve, "/api/images?device_id=cam")).length === 3,
    30_000,
    "200 readings and 3 images stored",
  );

  // the disk use per kind, measured by the lifecycle in a child process
  const storedRows = async () => {
    const text = await (await fetch(`http://127.0.0.1:${serve.httpPort}/metrics`)).text();
    return Number(/^iot_store_rows\{kind="readings"\} (\d+)$/m.exec(text)?.[1] ?? -1);
  };
  await waitFor(async () => (await storedRows()) >= 200, 90_000, "iot_store_rows ≥ 200 readings");

  // four writers (four devices, each in order) that go on while the backup runs
  let writing = true;
  let acked = 0;
  const WRITERS = 4;
  const writer = Promise.all(
    [...Array(WRITERS).keys()].map(async (w) => {
      for (let i = 0; writing; i++) {
        await client.publishAsync(`iot/during-${w}/telemetry`, JSON.stringify({ temperature: i }), {
          qos: 1,
        });
        acked++;
      }
    }),
  );
  await waitFor(() => acked > 80, 10_000, "the writers under way");
  const ackedBefore = acked;
  const target = join(dirs.make(), "backup");
  const backup = await iot(["backup", target, "--data-dir", dataDir]);
  const ackedDuring = acked - ackedBefore;
  writing = false;
  await writer;
  await client.endAsync();
  expect(backup.err).toBe("");
  expect(backup.code).toBe(0);
  expect(backup.out).toContain("3 image files");
  expect(ackedDuring).toBeGreaterThan(0); // serve kept ingesting while the backup ran

  const manifest = JSON.parse(readFileSync(join(target, "manifest.json"), "utf8"));
  expect(manifest).toMatchObject({
    format: "iot-backup",
    version: 1,
    images: { files: 3, missing: 0 },
  });
  const copy = new Database(join(target, "iot.db"), { readonly: true });
  expect(copy.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
  const temps = copy
    .query("SELECT temperature AS t FROM readings WHERE device_id = 'before' ORDER BY t")
    .all() as Array<{ t: number }>;
  expect(temps.map((r) => r.t)).toEqual([...Array(200).keys()]);
  const paths = copy.query("SELECT path FROM images ORDER BY id").all() as Array<{ path: string }>;
  // one instant: each writer's readings in the copy are the first n it sent, none missing between
  const during = (w: number) =>
    (
      copy
        .query("SELECT temperature AS t FROM readings WHERE device_id = ? ORDER BY t")
        .all(`during-${w}`) as Array<{ t: number }>
    ).map((r) => r.t);
  const inBackup = [...Array(WRITERS).keys()].map(during);
  for (const temps of inBackup) expect(temps).toEqual([...Array(temps.length).keys()]);
  expect(inBackup.flat().length).toBeGreaterThan(0);
  copy.close();
  expect(paths.map((p) => p.path.startsWith("images/cam/"))).toEqual([true, true, true]);
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  const jpegs = [100, 101, 102].map((i) => hex(tinyJpeg(i)));
  expect(paths.map((p) => hex(readFileSync(join(target, p.path))))).toEqual(jpegs);

  // restore: refused while serve holds the data dir, and into a dir that has a database
  const refused = await iot(["restore", target, "--data-dir", dataDir]);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain(`is in use by iot serve (PID ${serve.proc.pid})`);
  await serve.stop();
  servers.splice(servers.indexOf(serve), 1);
  const notEmpty = await iot(["restore", target, "--data-dir", dataDir]);
  expect(notEmpty.code).toBe(1);
  expect(notEmpty.err).toContain("already has a database");
  // the restored server may take its images only from the backup
  rmSync(join(dataDir, "images"), { recursive: true });

  const fresh = join(dirs.make(), "restored");
  const restored = await iot(["restore", target, "--data-dir", fresh]);
  expect(restored.err).toBe("");
  expect(restored.code).toBe(0);
  expect(existsSync(join(fresh, "iot.db"))).toBe(true);
  const again = await startServeProcess({ dataDir: fresh });
  servers.push(again);
  const readings = await api(again, "/api/readings?device_id=before&limit=1000");
  expect(
    readings
      .map((r: { temperature: number }) => r.temperature)
      .sort((a: number, b: number) => a - b),
  ).toEqual([...Array(200).keys()]);
  // the rows written during the backup that it holds are served too, exactly those
  for (const [w, temps] of inBackup.entries()) {
    const served = (await api(again, `/api/readings?device_id=during-${w}&limit=10000`)) as Array<{
      temperature: number;
    }>;
    expect(served.map((r) => r.temperature).sort((a, b) => a - b)).toEqual(temps);
  }
  const images = (await api(again, "/api/images?device_id=cam")) as Array<{ id: number }>;
  expect(images).toHaveLength(3);
  const bodies = await Promise.all(
    images.map(async (img) => {
      const res = await fetch(`http://127.0.0.1:${again.httpPort}/images/${img.id}.jpg`);
      return hex(new Uint8Array(await res.arrayBuffer()));
    }),
  );
  expect(bodies.sort()).toEqual(jpegs.sort());
}, 240_000);
