/**
 * bench/pipeline: MQTT QoS 1 publishers → embedded broker → bridge → Kafka → readings sink →
 * SQLite, in one run beside Debian's Mosquitto taking the same publish load (the yardstick: what
 * a bare broker acknowledges, storing nothing).
 *
 *   bun bench/pipeline.ts [--quick]
 *
 * Reports sustained readings/s stored (first publish → last row in SQLite) and, at a steady
 * 1,000 readings/s, the publish-to-stored latency percentiles (SQLite's insert time minus the
 * reading's send time). Writes bench/results/pipeline.json.
 */
import { Database } from "bun:sqlite";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { startMosquitto } from "../test/support/mosquitto.ts";
import { percentile, root, startServe, table } from "./lib.ts";

const quick = process.argv.includes("--quick");
const total = quick ? 20_000 : 100_000;
const publishers = 4;
const window = 500; // QoS 1 messages in flight per publisher
const dir = mkdtempSync(join(tmpdir(), "iot-bench-pipeline-"));

/** Publishes `count` readings from `publishers` clients, `window` in flight each. */
async function burst(url: string, count: number, device: (i: number) => string) {
  const clients = await Promise.all(
    Array.from({ length: publishers }, (_, i) =>
      mqtt.connectAsync(url, { clientId: `bench-${i}`, reconnectPeriod: 0 }),
    ),
  );
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    clients.map(async (c) => {
      const inflight = new Set<Promise<unknown>>();
      while (next < count) {
        const i = next++;
        const p = c.publishAsync(
          `iot/${device(i)}/telemetry`,
          JSON.stringify({ ts: Date.now(), temperature: 20 + (i % 10) }),
          { qos: 1 },
        );
        inflight.add(p);
        p.finally(() => inflight.delete(p));
        if (inflight.size >= window) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    }),
  );
  const acked = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.endAsync()));
  return { t0, acked };
}

const rows: Array<Record<string, string | number>> = [];
try {
  const mosq = await startMosquitto(dir);
  const m = await burst(mosq.url, total, () => "yardstick");
  rows.push({
    test: "Mosquitto: QoS 1 publishes acknowledged (nothing stored)",
    readings: total,
    "per second": total / m.acked,
  });
  await mosq.stop();

  const dataDir = join(dir, "data");
  const serve = await startServe(dataDir, "all");
  const db = new Database(join(dataDir, "iot.db"), { readonly: true });
  const stored = (device: string) =>
    db
      .query<{ n: number }, [string]>("SELECT count(*) AS n FROM readings WHERE device_id = ?")
      .get(device)!.n;
  try {
    const r = await burst(`mqtt://127.0.0.1:${serve.ports.mqtt}`, total, () => "burst");
    rows.push({
      test: "iot: QoS 1 publishes acknowledged (after Kafka acked)",
      readings: total,
      "per second": total / r.acked,
    });
    while (stored("burst") < total) await Bun.sleep(20);
    const all = (performance.now() - r.t0) / 1000;
    rows.push({
      test: "iot: readings stored in SQLite, sustained",
      readings: total,
      "per second": total / all,
    });

    // steady 1,000 readings/s for the latency percentiles
    const seconds = quick ? 5 : 20;
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.ports.mqtt}`, {
      clientId: "steady",
    });
    const start = performance.now();
    for (let i = 0; i < seconds * 1000; i++) {
      const due = start + i;
      const wait = due - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      void c.publishAsync(
        "iot/steady/telemetry",
        JSON.stringify({ ts: Date.now(), temperature: 21 }),
        { qos: 1 },
      );
    }
    while (stored("steady") < seconds * 1000) await Bun.sleep(50);
    await c.endAsync();
    const lat = db
      .query<{ l: number }, []>(
        "SELECT stored_at - ts AS l FROM readings WHERE device_id = 'steady' ORDER BY l",
      )
      .all()
      .map((x) => x.l);
    rows.push({
      test: "iot at 1,000 readings/s: publish → stored p50 ms",
      readings: lat.length,
      "per second": percentile(lat, 50),
    });
    rows.push({
      test: "iot at 1,000 readings/s: publish → stored p99 ms",
      readings: lat.length,
      "per second": percentile(lat, 99),
    });
  } finally {
    db.close();
    await serve.stop();
  }
  console.log(table(rows));
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/pipeline.json"),
    JSON.stringify({ at: new Date().toISOString(), quick, rows }, null, 2) + "\n",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
