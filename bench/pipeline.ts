/**
 * bench/pipeline: MQTT QoS 1 publishers → broker → bridge → Kafka → readings sink → SQLite,
 * twice: through iot's embedded broker, and through an external Debian Mosquitto
 * (`iot serve --mqtt-url`, the bridge a persistent-session subscriber of it). Beside them, the
 * yardstick: what a bare Mosquitto acknowledges under the same publish load, storing nothing.
 *
 *   bun bench/pipeline.ts [--quick] [--external-only | --embedded-only | --yardstick-only]
 *
 * `--external-only` runs just the Mosquitto path and prints its figures (no result file);
 * `--embedded-only` the same for the embedded broker's path (an A/B of a change in minutes);
 * `--yardstick-only` the bare Mosquitto burst alone.
 *
 * Reports sustained readings/s stored (first publish → last row in SQLite, after a warm-up burst
 * not counted) and, at a steady 1,000 readings/s, the publish-to-stored latency percentiles
 * (SQLite's insert time minus the reading's send time). Writes bench/results/pipeline.json.
 */
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { startServe, writeResult, type Row, tempDir } from "./lib.ts";
import { startMosquitto } from "./mosquitto.ts";
import { sampleProcess } from "./proc.ts";
import { cheapClientOptions, publishWindow } from "./publish-window.ts";
import { fmt, fmtRatio, percentile, rate, ratio } from "./stats.ts";

const quick = process.argv.includes("--quick");
const externalOnly = process.argv.includes("--external-only");
const embeddedOnly = process.argv.includes("--embedded-only");
const yardstickOnly = process.argv.includes("--yardstick-only");
const embeddedRun = { total: quick ? 20_000 : 100_000, steadySeconds: quick ? 5 : 20 };
const externalRun = embeddedRun;
const total = embeddedRun.total;
const publishers = 4;
const window = 500; // QoS 1 messages in flight per publisher
/**
 * published (and stored) before each measured burst, not counted: the broker's and the
 * publishers' code compiled by the JIT first, as in a sustained run — the yardstick, measured
 * first, otherwise paid for compiling the publishers' mqtt.js alone
 */
const warmUp = quick ? 2_000 : 10_000;
const dir = tempDir("iot-bench-pipeline-");

/**
 * Publishes `count` readings from `publishers` clients, `window` in flight each; with
 * `brokerPid`, the CPU the broker and the publishers (this process) used while it lasted, so a
 * load generator at its own ceiling shows.
 */
async function burst(url: string, count: number, device: string, brokerPid?: number) {
  const clients = await Promise.all(
    Array.from({ length: publishers }, (_, i) =>
      mqtt.connectAsync(url, {
        ...cheapClientOptions,
        clientId: `bench-${device}-${i}`,
        reconnectPeriod: 0,
      }),
    ),
  );
  const broker = brokerPid ? sampleProcess(brokerPid) : null;
  const publishersCpu = sampleProcess(process.pid);
  const t0 = performance.now();
  let next = 0;
  const topic = `iot/${device}/telemetry`;
  const take = () =>
    next < count
      ? { topic, payload: JSON.stringify({ ts: Date.now(), temperature: 20 + (next++ % 10) }) }
      : undefined;
  const acks = await Promise.all(clients.map((c) => publishWindow(c, window, take)));
  const acked = (performance.now() - t0) / 1000;
  const publishersPercent = publishersCpu.stop().cpuPercent;
  const cpu = {
    broker: broker?.stop().cpuPercent ?? NaN,
    publishers: publishersPercent,
    /** the load generator's own CPU time per message acked, in µs */
    publishersUsPerMsg: (publishersPercent / 100) * acked * (1e6 / count),
  };
  const sum = acks.reduce((a, b) => a + b, 0);
  if (sum !== count) throw new Error(`${sum} of ${count} publishes acknowledged`);
  await Promise.all(clients.map((c) => c.endAsync()));
  return { t0, acked, cpu };
}

interface PipelineFigures {
  ackedPerSecond: number;
  storedPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  steadyReadings: number;
  /** CPU % (100 = one core) while the burst was acked: `iot serve`, and the publishers */
  serveCpu: number;
  publishersCpu: number;
  /** the publishers' CPU time per message acked during the burst, µs */
  publishersUsPerMsg: number;
}

/** The burst and the steady run against `iot serve`, publishing to `publishUrl`. */
async function measure(
  { total, steadySeconds }: typeof embeddedRun,
  dataDir: string,
  publishUrl: (mqttPort: number) => string,
  args: string[],
): Promise<PipelineFigures> {
  const serve = await startServe(dataDir, "all", args);
  const db = new Database(join(dataDir, "iot.db"), { readonly: true });
  const stored = (device: string) =>
    db
      .query<{ n: number }, [string]>("SELECT count(*) AS n FROM readings WHERE device_id = ?")
      .get(device)!.n;
  const url = publishUrl(serve.ports.mqtt);
  try {
    // the whole path is up (with --mqtt-url: the bridge has subscribed) once a probe is stored
    const deadline = Date.now() + 30_000;
    while (stored("probe") === 0) {
      if (Date.now() > deadline) throw new Error("no probe reading stored after 30 s");
      await burst(url, 1, "probe");
      await Bun.sleep(250);
    }
    await burst(url, warmUp, "warm-up");
    while (stored("warm-up") < warmUp) await Bun.sleep(20);

    const r = await burst(url, total, "burst", serve.proc.pid);
    while (stored("burst") < total) await Bun.sleep(20);
    const all = (performance.now() - r.t0) / 1000;

    // steady 1,000 readings/s for the latency percentiles
    const c = await mqtt.connectAsync(url, { clientId: "steady", reconnectPeriod: 0 });
    const start = performance.now();
    for (let i = 0; i < steadySeconds * 1000; i++) {
      const wait = start + i - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      void c.publishAsync(
        "iot/steady/telemetry",
        JSON.stringify({ ts: Date.now(), temperature: 21 }),
        { qos: 1 },
      );
    }
    while (stored("steady") < steadySeconds * 1000) await Bun.sleep(50);
    await c.endAsync();
    const lat = db
      .query<{ l: number }, []>(
        "SELECT stored_at - ts AS l FROM readings WHERE device_id = 'steady' ORDER BY l",
      )
      .all()
      .map((x) => x.l);
    return {
      ackedPerSecond: rate(total, r.acked),
      storedPerSecond: rate(total, all),
      p50Ms: percentile(lat, 50),
      p90Ms: percentile(lat, 90),
      p99Ms: percentile(lat, 99),
      steadyReadings: lat.length,
      serveCpu: r.cpu.broker,
      publishersCpu: r.cpu.publishers,
      publishersUsPerMsg: r.cpu.publishersUsPerMsg,
    };
  } finally {
    db.close();
    await serve.stop();
  }
}

/** The Mosquitto path alone: `iot serve --mqtt-url`. */
async function measureExternal() {
  const external = await startMosquitto(dir);
  return measure(externalRun, join(dir, "external"), () => external.url, [
    "--mqtt-url",
    external.url,
  ]).finally(() => external.stop());
}

/** The embedded broker's path alone. */
const measureEmbedded = () =>
  measure(embeddedRun, join(dir, "embedded"), (port) => `mqtt://127.0.0.1:${port}`, []);

/** What a bare Mosquitto acknowledges under the burst, storing nothing. */
async function measureYardstick() {
  const mosq = await startMosquitto(dir);
  const bare = await burst(mosq.url, warmUp, "warm-up")
    .then(() => burst(mosq.url, total, "yardstick", mosq.pid))
    .finally(() => mosq.stop());
  return { ackedPerSecond: rate(total, bare.acked), cpu: bare.cpu };
}

if (externalOnly || embeddedOnly || yardstickOnly) {
  try {
    const only = externalOnly ? measureExternal : embeddedOnly ? measureEmbedded : measureYardstick;
    console.log(JSON.stringify(await only(), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

try {
  const { ackedPerSecond: bareAcked, cpu: bareCpu } = await measureYardstick();

  const embedded = await measureEmbedded();
  const viaMosquitto = await measureExternal();

  const rows: Row[] = [
    ["iot serve, embedded broker", embedded],
    ["iot serve --mqtt-url (external Mosquitto)", viaMosquitto],
  ].map(([name, f]) => {
    const x = f as PipelineFigures;
    return {
      path: name as string,
      "QoS 1 acked/s": fmt(x.ackedPerSecond),
      "stored in SQLite/s": fmt(x.storedPerSecond),
      "stored/s ÷ bare Mosquitto acks/s": fmtRatio(ratio(x.storedPerSecond, bareAcked)),
      "broker CPU % (burst)": fmt(x.serveCpu),
      "publishers CPU % (burst)": fmt(x.publishersCpu),
      "publishers CPU µs/msg": fmt(x.publishersUsPerMsg),
      "at 1,000/s: p50 ms": fmt(x.p50Ms),
      "p90 ms": fmt(x.p90Ms),
      "p99 ms": fmt(x.p99Ms),
    };
  });
  rows.push({
    path: "yardstick: bare Mosquitto, storing nothing",
    "QoS 1 acked/s": fmt(bareAcked),
    "stored in SQLite/s": "—",
    "stored/s ÷ bare Mosquitto acks/s": "—",
    "broker CPU % (burst)": fmt(bareCpu.broker),
    "publishers CPU % (burst)": fmt(bareCpu.publishers),
    "publishers CPU µs/msg": fmt(bareCpu.publishersUsPerMsg),
    "at 1,000/s: p50 ms": "—",
    "p90 ms": "—",
    "p99 ms": "—",
  });
  writeResult({
    name: "pipeline",
    title:
      `End to end: MQTT QoS 1 readings from ${publishers} publishers (${window} in flight each) into ` +
      `SQLite (${embeddedRun.total.toLocaleString("en-US")} through the embedded broker, ` +
      `${externalRun.total.toLocaleString("en-US")} through Mosquitto), then a steady 1,000 readings/s ` +
      `(${embeddedRun.steadySeconds} s / ${externalRun.steadySeconds} s) for publish → stored latency; ` +
      `each burst, the yardstick's too, after a warm-up of ${warmUp.toLocaleString("en-US")} not counted`,
    quick,
    tables: [{ caption: "MQTT QoS 1 → bridge → Kafka → SQLite", rows }],
    limits:
      "Every stage runs in the one `iot serve` process, sharing the 2 cores with the publishers (one " +
      "Bun process of mqtt.js clients, each window kept by a counter and mqtt.js callbacks " +
      "(bench/publish-window.ts): their CPU during the burst is in its own column, 100 = one core, " +
      "and per message acked; " +
      "beside bare Mosquitto they are the ceiling): MQTT decoding, the bridge's Kafka produce (acks=-1, fsync), the consumer's fetch and " +
      "the SQLite transaction; at saturation SQLite's inserts, aedes and the record batches' encoding " +
      "and decoding are the largest shares of its CPU. Through " +
      "Mosquitto, the bridge is one MQTT 5 subscriber with up to 1,000 messages in flight (its " +
      "Receive Maximum), acking each in arrival order once Kafka has it, one Kafka batch at a time " +
      "(per-device order); through the embedded broker the PUBLISHes of one read of a connection go " +
      "to Kafka together and their PUBACKs leave once their fsync round is done.",
    headline: [
      {
        measure: "MQTT QoS 1 → SQLite, readings/s sustained",
        iot: `${fmt(embedded.storedPerSecond)} embedded; ${fmt(viaMosquitto.storedPerSecond)} via Mosquitto`,
        yardstick: `bare Mosquitto acking, storing nothing: ${fmt(bareAcked)}`,
        ratio: fmtRatio(ratio(embedded.storedPerSecond, bareAcked)),
      },
      {
        measure: "publish → stored at 1,000 readings/s, p50 / p99",
        iot: `${fmt(embedded.p50Ms)} / ${fmt(embedded.p99Ms)} ms`,
        yardstick: `via Mosquitto ${fmt(viaMosquitto.p50Ms)} / ${fmt(viaMosquitto.p99Ms)} ms`,
        ratio: "—",
      },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
