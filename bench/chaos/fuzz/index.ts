/**
 * fuzz: seeded, replayable fuzzers against the Kafka, MQTT and HTTP listeners of one real
 * `iot serve`, all three at once, pipelined frames on many connections (each reopened when the
 * server closes it). The server's RSS and fds are sampled from /proc throughout. Afterwards the
 * process must be alive and healthy, its RSS under the bound, normal clients must work on
 * every listener, and Kafka data written before the fuzz must be intact, also after a restart.
 * A death prints the seeds and the last sessions sent (hex), so it can be replayed.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  freePorts,
  metric,
  removeDir,
  rssMb,
  startServe,
  tail,
  tempDir,
  until,
  type Serve,
} from "../lib.ts";
import { serveOptions } from "../../../src/serve/options.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "../types.ts";
import { blast, type BlastStats } from "./blaster.ts";
import {
  consumeKeep,
  health,
  httpPostWorks,
  keepTopic,
  mqttReadingStored,
  produceKeep,
} from "./checks.ts";
import { Gen } from "./gen.ts";
import { httpSessions } from "./http-requests.ts";
import { kafkaSessions } from "./kafka-frames.ts";
import { mqttSessions } from "./mqtt-packets.ts";

const name = "fuzz";
/**
 * RSS must stop growing: the highest RSS of the fuzz's second half may exceed the first half's by
 * at most this much (MB). Memory that grows with the number of frames is a leak; a level the
 * first half already reached is the listeners' buffers at the fuzzers' concurrency …
 */
export const maxLateRssGrowthMb = 64;
/**
 * … and that level stays within what the server's own limits allow at that concurrency: each
 * fuzzer connection may hold one packet or body up to its listener's maximum, the Kafka
 * listener's large frames share one budget, plus this much for everything else (MB).
 */
export const rssSlackMb = 160;
const mib = 1024 * 1024;
/** The server's own defaults for the limits that bound one connection's buffers. */
const serveDefault = (key: string) =>
  Number(serveOptions.specs.find((o) => o.key === key)!.default);
const limits = {
  kafkaBudgetMb: serveDefault("kafkaFrameBudgetMb"),
  httpBodyBytes: serveDefault("httpMaxBodyBytes"),
  mqttPacketBytes: serveDefault("mqttMaxPacketBytes"),
};
const fuzzConnections = { kafka: 16, mqtt: 32, http: 16 };
/** Kafka: the shared frame budget plus 256 KiB of unread answers per connection. */
export const rssBoundMb =
  limits.kafkaBudgetMb +
  fuzzConnections.kafka / 4 +
  (fuzzConnections.http * limits.httpBodyBytes) / mib +
  (fuzzConnections.mqtt * limits.mqttPacketBytes) / mib +
  rssSlackMb;
/** … and open fds at most this far above theirs, once the fuzz connections are gone. */
export const maxFdGrowth = 64;

export interface FuzzOptions {
  /** frames per listener */
  frames: number;
  /** base seed; the listeners use seed, seed+1, seed+2 */
  seed: number;
  /** give up on the frame count after this long */
  maxMs: number;
  log: (line: string) => void;
  /** how often to log the counts so far (default 30 s) */
  progressMs?: number;
}

export interface FuzzReport {
  stats: BlastStats[];
  /** maxMb per tenth of the frames sent (the slowest listener's share), for the leak check */
  rss: { beforeMb: number; maxMb: number; endMb: number; byTenth: number[] };
  fds: { before: number; max: number; end: number };
  httpStatus: Record<string, number>;
  alive: boolean;
  failures: string[];
  canary: { sent: number; acknowledged: number; stored: number; duplicated: number };
  /** server-side counters over the fuzz (requests handled, refused, …) */
  counters: Record<string, number>;
  /** distinct ERROR lines in the server's log (timestamps dropped) */
  errors: string[];
  durationMs: number;
}

const counterNames = [
  "iot_kafka_requests_total",
  "iot_kafka_bad_requests_total",
  "iot_mqtt_messages_in_total",
  "iot_mqtt_refused_total",
];

/** The server logs of this run (one per start), newest last. */
function serveLogs(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^serve-\d+\.log$/.test(f))
    .sort((a, b) => Number(a.slice(6, -4)) - Number(b.slice(6, -4)))
    .map((f) => join(dir, f));
}

function serveLog(dir: string, lines: number): string {
  return serveLogs(dir)
    .map((f) => tail(f, lines))
    .join("\n");
}

function errorLines(dir: string): string[] {
  const seen = new Map<string, number>();
  for (const f of serveLogs(dir))
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!/ (ERROR|FATAL) /.test(line)) continue;
      const key = line.replace(/^\S+ /, "").replace(/\d+/g, "N").slice(0, 240);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  return [...seen].map(([line, count]) => `${count}× ${line}`);
}

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const dir = tempDir(name);
  const dataDir = join(dir, "data");
  const ports = await freePorts();
  // --log-level error: hundreds of thousands of refused frames are the expected outcome
  const args = ["--log-level", "error"];
  let serve: Serve = await startServe({ dataDir, ports, logDir: dir, args });
  const failures: string[] = [];
  const errors: string[] = [];
  const canary = { sent: 0, acknowledged: 0, stored: 0, duplicated: 0 };
  const keep = Array.from({ length: 200 }, (_, i) => `keep-${i}`);
  const pid = serve.proc.pid;
  try {
    canary.sent += keep.length;
    canary.acknowledged += (await produceKeep(ports.kafka, keep)).length;
    await Bun.sleep(1000); // consumers settled
    const rss = { beforeMb: rssMb(pid), maxMb: 0, endMb: 0, byTenth: [] as number[] };
    let stats: BlastStats[] = [];
    const fds = { before: fdCount(pid), max: 0, end: 0 };
    let dead = false;
    const sampler = setInterval(() => {
      try {
        const now = rssMb(pid);
        rss.maxMb = Math.max(rss.maxMb, now);
        if (stats.length === 0) return;
        const done = Math.min(...stats.map((s) => s.frames)) / o.frames;
        const tenth = Math.min(9, Math.floor(done * 10));
        rss.byTenth[tenth] = Math.max(rss.byTenth[tenth] ?? 0, now);
        fds.max = Math.max(fds.max, fdCount(pid));
      } catch {
        dead = true;
      }
    }, 250);
    void serve.proc.exited.then(() => (dead = true));

    const httpStatus: Record<string, number> = {};
    const counters: Record<string, number> = {};
    for (const k of counterNames) counters[k] = await metric(ports.http, k);
    const recent: Record<string, Buffer[][]> = { kafka: [], mqtt: [], http: [] };
    const deadline = Date.now() + o.maxMs;
    // session lengths from each listener's own PRNG, so a listener's stream replays alone
    const lengths = (seed: number, max: number) => {
      const g = new Gen(seed + 1000);
      return () => 1 + g.int(max);
    };
    const common = { frames: o.frames, deadline, stop: () => dead };
    const runs = [
      blast({
        ...common,
        listener: "kafka",
        seed: o.seed,
        port: ports.kafka,
        connections: fuzzConnections.kafka,
        framesPerSession: lengths(o.seed, 150),
        session: kafkaSessions(o.seed),
        recent: recent.kafka!,
      }),
      blast({
        ...common,
        listener: "mqtt",
        seed: o.seed + 1,
        port: ports.mqtt,
        connections: fuzzConnections.mqtt, // each waits for its CONNACK
        framesPerSession: lengths(o.seed + 1, 150),
        session: mqttSessions(o.seed + 1),
        handshake: true,
        recent: recent.mqtt!,
      }),
      blast({
        ...common,
        listener: "http",
        seed: o.seed + 2,
        port: ports.http,
        connections: fuzzConnections.http,
        framesPerSession: lengths(o.seed + 2, 60),
        session: httpSessions(o.seed + 2),
        recent: recent.http!,
        onData: (chunk) => {
          for (const m of chunk.toString("latin1").matchAll(/HTTP\/1\.1 (\d)(\d\d) /g)) {
            const k = m[1] === "5" ? `${m[1]}${m[2]}` : `${m[1]}xx`; // each 5xx by its code
            httpStatus[k] = (httpStatus[k] ?? 0) + 1;
          }
        },
      }),
    ];
    stats = runs.map((r) => r.stats); // filled in as they run
    const fuzzStart = Date.now();
    const progress = setInterval(() => {
      o.log(
        `fuzz: ${stats.map((s) => `${s.listener} ${s.frames} (${s.sessions} conns, ${s.closedByServer} closed, ${s.gaveUp} quiet, ${s.hung} hung)`).join(", ")}; RSS ${rss.maxMb.toFixed(0)} MB max, ${fds.max} fds max`,
      );
    }, o.progressMs ?? 30_000);
    const settled = await Promise.allSettled(runs.map((r) => r.done));
    clearInterval(progress);
    const fuzzMs = Date.now() - fuzzStart;
    o.log(`fuzz: frames sent in ${(fuzzMs / 1000).toFixed(1)} s`);
    for (const s of settled)
      if (s.status === "rejected") failures.push(`fuzzer stopped: ${(s.reason as Error).message}`);
    // the server closes what the fuzzers left (Bun releases closed sockets' fds a little later)
    await until(() => fdCount(pid) - fds.before <= maxFdGrowth, 30_000, 500).catch(() => false);
    clearInterval(sampler);
    const alive = !dead && serve.proc.exitCode === null;
    const result = () => ({
      stats,
      rss,
      fds,
      httpStatus,
      counters,
      errors,
      alive,
      failures,
      canary,
      durationMs: Date.now() - t0,
    });
    if (!alive) {
      failures.push(
        `iot serve died (exit ${serve.proc.exitCode}): ${tail(join(dir, "serve-1.log"), 20)}`,
      );
      const file = join(process.cwd(), `fuzz-crash-${o.seed}.json`);
      writeFileSync(
        file,
        JSON.stringify(
          Object.fromEntries(
            Object.entries(recent).map(([k, v]) => [
              k,
              v.map((frames) => frames.map((f) => f.toString("hex"))),
            ]),
          ),
        ),
      );
      o.log(
        `fuzz: iot serve died; seeds ${o.seed}/${o.seed + 1}/${o.seed + 2}; last sessions in ${file}`,
      );
      return result();
    }
    rss.endMb = rssMb(pid);
    fds.end = fdCount(pid);
    if (rss.maxMb - rss.beforeMb > rssBoundMb)
      failures.push(
        `RSS grew ${(rss.maxMb - rss.beforeMb).toFixed(0)} MB (bound ${rssBoundMb} MB)`,
      );
    const half = (from: number) =>
      Math.max(0, ...rss.byTenth.slice(from, from + 5).filter(Boolean));
    if (half(5) - half(0) > maxLateRssGrowthMb)
      failures.push(
        `RSS kept growing: ${half(0).toFixed(0)} MB max in the first half of the frames, ${half(5).toFixed(0)} MB in the second (bound +${maxLateRssGrowthMb} MB)`,
      );
    if (fds.end - fds.before > maxFdGrowth)
      failures.push(
        `${fds.end - fds.before} more fds at the end than before (bound ${maxFdGrowth})`,
      );
    for (const s of stats)
      if (s.frames < o.frames)
        failures.push(`${s.listener}: only ${s.frames} of ${o.frames} frames in time`);

    let h = await health(ports.http);
    // a component may still be catching up on the fuzzers' backlog
    await until(async () => (h = await health(ports.http)).status === "ok", 30_000, 500);
    if (h.status !== "ok") failures.push(`/healthz says ${h.status}: ${h.detail}`);
    for (const [k, v] of Object.entries(counters)) counters[k] = (await metric(ports.http, k)) - v;
    errors.push(...errorLines(dir));
    canary.sent += 3;
    canary.acknowledged += (await produceKeep(ports.kafka, ["after"])).length;
    if (await mqttReadingStored(ports.mqtt, ports.http)) canary.acknowledged++;
    else failures.push("an mqtt.js QoS 1 reading was not stored after the fuzz");
    if (await httpPostWorks(ports.http)) canary.acknowledged++;
    else failures.push("POST /entrance did not answer 200 after the fuzz");
    const expected = [...keep, "after"];
    const check = async (when: string) => {
      const values = (await consumeKeep(ports.kafka, expected.length)).filter(
        (v) => !v.startsWith("fz"),
      );
      if (JSON.stringify(values) !== JSON.stringify(expected))
        failures.push(
          `${keepTopic} ${when}: ${values.length} values, expected ${expected.length} in order`,
        );
      return values;
    };
    await check("after the fuzz");
    const code = await serve.stop();
    if (code !== 0) failures.push(`iot serve exited ${code} on SIGTERM after the fuzz`);
    serve = await startServe({ dataDir, ports, logDir: dir, args });
    const again = await check("after a restart");
    const seen = new Set(again);
    canary.stored = seen.size + 2; // + the MQTT reading and the POST, checked above
    canary.duplicated = again.length - seen.size;
    return result();
  } finally {
    await serve.stop();
    removeDir(dir);
  }
}

const n = (x: number) => x.toLocaleString("en-US");

export const fuzz: Scenario = {
  name,
  description: `seeded fuzzers send mutated Kafka, MQTT and HTTP frames (≥ 1 M per listener, pipelined, many connections) to one \`iot serve\`: it stays alive and healthy, RSS stops growing (second half ≤ first half + ${maxLateRssGrowthMb} MB) within the listeners' own limits (+${rssBoundMb} MB), normal clients still work and the Kafka log is intact after a restart`,
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const seed = Number(process.env.IOT_FUZZ_SEED ?? 20261202);
    const frames = quick ? 30_000 : 1_000_000;
    // IOT_FUZZ_MAX_MINUTES: stop short on a slow or busy machine (the notes then say so)
    const maxMinutes = Number(process.env.IOT_FUZZ_MAX_MINUTES ?? (quick ? 2 : 60));
    const r = await runFuzz({ frames, seed, maxMs: maxMinutes * 60_000, log });
    const notes = [
      `${n(r.stats.reduce((a, s) => a + s.frames, 0))} frames in ${(r.durationMs / 1000).toFixed(0)} s; seeds kafka ${seed}, mqtt ${seed + 1}, http ${seed + 2} (IOT_FUZZ_SEED=${seed} replays)`,
      ...r.stats.map(
        (s) =>
          `${s.listener}: ${n(s.frames)} frames on ${n(s.sessions)} connections (70 % ending with the fuzzer's FIN): ${n(s.closedByServer)} closed by the server before it, ${n(s.gaveUp)} left quiet and closed by the fuzzer, ${n(s.hung)} still open 10 s after FIN; ${(s.bytesOut / 1e6).toFixed(0)} MB out, ${(s.bytesIn / 1e6).toFixed(0)} MB back`,
      ),
      `HTTP answers: ${Object.entries(r.httpStatus)
        .sort()
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(", ")}`,
      `server RSS ${r.rss.beforeMb.toFixed(0)} MB before, ${r.rss.maxMb.toFixed(0)} MB max, ${r.rss.endMb.toFixed(0)} MB at the end; max per tenth of the frames ${r.rss.byTenth.map((x) => (x ?? 0).toFixed(0)).join(" ")} MB; fds ${r.fds.before} before, ${r.fds.max} max, ${r.fds.end} at the end`,
      `server counters over the fuzz: ${Object.entries(r.counters)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(", ")}`,
      ...(r.errors.length
        ? [`ERROR lines in the server log: ${r.errors.slice(0, 8).join(" | ")}`]
        : ["no ERROR lines in the server log"]),
      `canaries: 201 kafkajs messages on ${keepTopic} (200 before the fuzz, 1 after), 1 mqtt.js reading and 1 POST /entrance after it`,
      ...r.failures,
    ];
    return {
      name,
      ...r.canary,
      lost: r.canary.acknowledged - r.canary.stored,
      pass: r.alive && r.failures.length === 0,
      notes,
      durationMs: r.durationMs,
    };
  },
};
