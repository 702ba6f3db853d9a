/**
 * The disk-full experiment, shared by the chaos scenario (`bench/chaos/disk-full.ts`) and the
 * e2e test: `iot serve` with its data dir on a 48 MiB tmpfs, MQTT QoS 1 publishers with a unique
 * ts (and msg_id) per message, the disk filled mid-load (first to just under the free-space
 * watermark, then to the last byte), held full, then freed; then serve is restarted on the
 * same dir and the store is counted: every PUBACKed message once, nothing else.
 */
import { Database } from "bun:sqlite";
import mqtt from "mqtt";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServeProcess, type ServeProcess } from "../../test/support/serve-process.ts";
import { freePort } from "../../test/support/net.ts";
import { mountTmpfs, type Tmpfs } from "../../test/support/tmpfs.ts";

export interface DiskFullOptions {
  quick: boolean;
  log: (line: string) => void;
}

export interface DiskFullReport {
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** the open "disk" alert as the JSON API showed it while the disk was nearly full / full */
  alert: { kind: string; severity: string; message: string } | null;
  /** `/healthz`'s disk component while writes were refused */
  healthWhileFull: { state: string; detail?: Record<string, unknown> } | null;
  /** POST /office_status while Kafka refused writes */
  collectorWhileFull: { status: number; message: string } | null;
  /** PUBACKs while the disk was full (a spool page with room may still take a few) */
  ackedWhileFull: number;
  /** times the publisher reconnected: a refused publish closes its connection, unacked */
  reconnects: number;
  alertClearedAfterRecovery: boolean;
  /** log lines of the restart that report a cut log tail (expected: none) */
  restartTruncations: string[];
  /** the first run's log (warn and up): a full disk is logged per episode, not per request */
  serverLog: string[];
  timings: { alertSeenMs: number; refusedMs: number; recoveredMs: number };
  durationMs: number;
}

const DEVICE = "diskfull";
// recent: readings older than the retention (30 days) are pruned by the lifecycle
const TS0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const MiB = 1024 * 1024;

/** Runs the experiment; null when no tmpfs can be mounted here (not root). */
export async function runDiskFull(opts: DiskFullOptions): Promise<DiskFullReport | null> {
  const started = Date.now();
  const fs = mountTmpfs(48, "iot-diskfull-");
  if (!fs) return null;
  const logs = join(tmpdir(), `iot-diskfull-logs-${process.pid}-${Date.now()}`);
  let serve: ServeProcess | null = null;
  let finished = false;
  try {
    const dataDir = join(fs.dir, "data");
    const ports = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
    // the watermark at 4 MiB: the test fills to 2 MiB free first, so the alert is stored
    // while SQLite can still write it, as it would be on a disk filling gradually
    const args = ["--disk-min-free-mb", "4"];
    const start = (log: string) =>
      startServeProcess({ dataDir, ports, args, stderrFile: `${logs}-${log}.log` });
    serve = await start("first");
    const http = `http://127.0.0.1:${ports.http}`;
    const pub = startPublishers(`mqtt://127.0.0.1:${ports.mqtt}`, opts.quick ? 4 : 8);
    const stored = () => countStored(join(dataDir, "iot.db"));

    await until(() => stored().rows >= 200, 60_000, "readings before the fault");
    const before = await postOfficeStatus(http); // creates the topic while there is room
    if (before.status !== 200) throw new Error(`office_status before the fault: ${before.status}`);
    opts.log(`warm: ${pub.acked.size} acknowledged, filling the disk to 2 MiB free`);
    const t0 = Date.now();
    fs.fill(2 * MiB);
    const alert = await until(() => openDiskAlert(http), 30_000, "the disk alert in the API");
    const alertSeenMs = Date.now() - t0;
    opts.log(`alert after ${alertSeenMs} ms: ${alert.message}`);

    fs.fill();
    const fullAt = Date.now();
    const healthWhileFull = await until(
      async () => {
        const d = (await health(http)).components.disk;
        return d?.state === "down" ? d : null;
      },
      30_000,
      "health to show writes refused",
    );
    const ackedAtFull = pub.acked.size;
    // a record may still fit in the log's last partly used page: post until one is refused
    let collectorWhileFull = await postOfficeStatus(http);
    for (let i = 0; i < 200 && collectorWhileFull.status === 200; i++) {
      collectorWhileFull = await postOfficeStatus(http);
    }
    await Bun.sleep(opts.quick ? 3000 : 15_000); // publishers keep trying all along
    const ackedWhileFull = pub.acked.size - ackedAtFull;
    opts.log(
      `full: health ${JSON.stringify(healthWhileFull.detail?.refusing)}, ${ackedWhileFull} acks`,
    );

    fs.unfill();
    const refusedMs = Date.now() - fullAt;
    const recovered = await until(
      async () => {
        const d = (await health(http)).components.disk;
        return d?.state === "up" && !(await openDiskAlert(http)) ? true : null;
      },
      60_000,
      "recovery (health up, alert cleared)",
    );
    const recoveredMs = Date.now() - fullAt - refusedMs;
    const resumeFrom = pub.acked.size;
    await until(() => pub.acked.size >= resumeFrom + 300, 60_000, "publishing to resume");
    opts.log(`recovered ${recoveredMs} ms after space returned; publishing resumed`);

    await pub.stop();
    await until(() => stored().distinct >= pub.acked.size, 60_000, "every ack stored").catch(
      async (e: Error) => {
        const h = JSON.stringify((await health(http)).components);
        throw new Error(
          `${e.message}: ${stored().distinct} of ${pub.acked.size} stored; health ${h}`,
        );
      },
    );
    await serve.stop();
    serve = await start("restart");
    await until(() => stored().distinct >= pub.acked.size, 60_000, "every ack after restart");
    await Bun.sleep(1000); // anything still to come would be a duplicate
    const end = stored();
    await serve.stop();
    serve = null;

    const inStore = end.byTs;
    let storedAcked = 0;
    let duplicated = 0;
    for (const i of pub.acked) {
      const n = inStore.get(TS0 + i) ?? 0;
      if (n > 0) storedAcked++;
      if (n > 1) duplicated += n - 1;
    }
    const restartLog = readFileSync(`${logs}-restart.log`, "utf8");
    const serverLog = readFileSync(`${logs}-first.log`, "utf8").split("\n").filter(Boolean);
    finished = true;
    return {
      sent: pub.sent(),
      acknowledged: pub.acked.size,
      stored: storedAcked,
      lost: pub.acked.size - storedAcked,
      duplicated,
      alert,
      healthWhileFull,
      collectorWhileFull,
      ackedWhileFull,
      reconnects: pub.reconnects(),
      alertClearedAfterRecovery: recovered,
      serverLog,
      restartTruncations: restartLog.split("\n").filter((l) => /truncat|torn|corrupt/i.test(l)),
      timings: { alertSeenMs, refusedMs, recoveredMs },
      durationMs: Date.now() - started,
    };
  } finally {
    if (serve) await serve.stop();
    unmountQuietly(fs);
    // a failed run keeps the servers' logs, and says where
    if (finished) for (const f of ["first", "restart"]) rmSync(`${logs}-${f}.log`, { force: true });
    else opts.log(`server logs kept: ${logs}-first.log, ${logs}-restart.log`);
  }
}

/** `workers` QoS 1 publishers on one connection, each with one message in flight. */
function startPublishers(url: string, workers: number) {
  const client = mqtt.connect(url, { clientId: DEVICE, clean: false, reconnectPeriod: 100 });
  const acked = new Set<number>();
  let reconnects = 0;
  client.on("reconnect", () => reconnects++);
  let next = 0;
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const i = next++;
      const payload = JSON.stringify({ ts: TS0 + i, temperature: 20, msg_id: `${DEVICE}-${i}` });
      try {
        await client.publishAsync(`iot/${DEVICE}/telemetry`, payload, { qos: 1 });
        acked.add(i);
      } catch {
        // never acknowledged: not counted
      }
      await Bun.sleep(10);
    }
  });
  return {
    acked,
    sent: () => next,
    reconnects: () => reconnects,
    async stop() {
      running = false;
      await Promise.all(loops); // in-flight messages are resent until PUBACKed
      await client.endAsync();
    },
  };
}

function countStored(dbPath: string) {
  const db = new Database(dbPath);
  try {
    db.run("PRAGMA busy_timeout = 5000");
    const rows = db
      .query("SELECT ts, COUNT(*) AS n FROM readings WHERE device_id = ? GROUP BY ts")
      .all(DEVICE) as Array<{ ts: number; n: number }>;
    const byTs = new Map(rows.map((r) => [r.ts, r.n]));
    return { byTs, distinct: rows.length, rows: rows.reduce((s, r) => s + r.n, 0) };
  } catch {
    return { byTs: new Map<number, number>(), distinct: 0, rows: 0 }; // not created yet
  } finally {
    db.close();
  }
}

async function health(http: string) {
  const res = await fetch(`${http}/healthz`);
  return (await res.json()) as {
    components: Record<string, { state: string; detail?: Record<string, unknown> }>;
  };
}

async function openDiskAlert(http: string) {
  const list = (await (await fetch(`${http}/api/alerts?state=active`)).json()) as Array<{
    kind: string;
    severity: string;
    message: string;
  }>;
  return list.find((a) => a.kind === "disk") ?? null;
}

async function postOfficeStatus(http: string) {
  const res = await fetch(`${http}/office_status`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ room_no: 1, status: { humidity: 10, temperature: 30 } }),
  });
  return {
    status: res.status,
    message: String(((await res.json()) as { message?: string }).message),
  };
}

/** Polls until `check` returns something truthy, and returns it. */
async function until<T>(
  check: () => T | null | false | Promise<T | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await Bun.sleep(100);
  }
}

function unmountQuietly(fs: Tmpfs): void {
  try {
    fs.unmount();
  } catch (e) {
    console.error(`could not unmount ${fs.dir}: ${(e as Error).message}`);
  }
}
