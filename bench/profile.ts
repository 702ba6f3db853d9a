/**
 * bench/profile: where `iot serve`'s CPU goes under the two steady loads people run it at — 1,000
 * MQTT QoS 1 readings/s into SQLite, and the seeds' `POST /office_status` at 1,000 requests/s —
 * from Bun's sampling profiler (`bun --cpu-prof`, 1 ms), `iot serve` from source so frames carry
 * their file names. Each load runs in its own `iot serve`; only the samples of the load's own
 * seconds count (not the start-up before it), by area (our folders, each package; native calls
 * such as fdatasync or SQLite's step count for the code that made them) and by function.
 *
 *   bun bench/profile.ts [--quick]
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startServe, tempDir, writeResult, type Row } from "./lib.ts";
import { summarise, type CpuProfile, type ProfileSummary } from "./cpu-profile.ts";
import { publishSteadily } from "./mqtt-load.ts";
import { pacedHttp } from "./paced-http.ts";
import { sampleProcess } from "./proc.ts";
import { fmt } from "./stats.ts";

const quick = process.argv.includes("--quick");
const seconds = quick ? 5 : 20;
const perSecond = 1000;
const dir = tempDir("iot-bench-profile-");

interface Profiled {
  summary: ProfileSummary;
  /** CPU of the process over the load, % of one core, from /proc (the profiler's cost included) */
  cpuPercent: number;
  done: number;
}

/** `iot serve` under the profiler while `load` runs; the profile is written when it stops. */
async function profiled(
  name: string,
  load: (ports: { http: number; mqtt: number }) => Promise<number>,
): Promise<Profiled> {
  const profDir = join(dir, `${name}-prof`);
  const serve = await startServe(join(dir, name), "all", [], {
    runtimeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
  });
  let done = 0;
  let cpuPercent = NaN;
  try {
    await Bun.sleep(1000); // the first lifecycle pass and checkpoint of a fresh store
    const usage = sampleProcess(serve.proc.pid);
    done = await load(serve.ports);
    cpuPercent = usage.stop().cpuPercent;
  } finally {
    await serve.stop();
  }
  const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile in ${profDir}: did iot serve exit cleanly?`);
  const profile = JSON.parse(readFileSync(join(profDir, file), "utf8")) as CpuProfile;
  // the load's seconds, not the start-up nor the shutdown after it (≈ 1 s)
  return { summary: summarise(profile, { lastMs: (seconds + 1) * 1000 }), cpuPercent, done };
}

/** The seeds' room sensor POSTs at `perSecond` (bench/collector.ts's body): the count answered. */
async function collectorLoad(port: number): Promise<number> {
  const r = await pacedHttp({
    host: "127.0.0.1",
    port,
    perSecond,
    seconds,
    connections: 32,
    request: (n) => ({
      method: "POST",
      path: "/office_status",
      contentType: "application/json",
      body: `{"room_no":${(n % 4) + 1},"status":{"humidity":${40 + (n % 20)},"temperature":${20 + (n % 10)}}}`,
    }),
  });
  return r.ok;
}

const pct = (x: number) => `${fmt(x * 100)} %`;

/**
 * One table per load: each area's share of the sampled time, and its CPU per 1,000 messages —
 * the share of the process's CPU measured from /proc (the sampler also counts some time a call
 * spends blocked, so its own totals overstate the CPU).
 */
function areaRows(p: Profiled): Row[] {
  const cpuMsPer1000 = ((p.cpuPercent / 100) * seconds * 1000 * 1000) / Math.max(1, p.done);
  return p.summary.areas.map((a) => ({
    area: a.name,
    "share of samples": pct(a.share),
    "≈ CPU ms per 1,000": fmt(a.share * cpuMsPer1000),
  }));
}

const functionRows = (p: Profiled): Row[] =>
  p.summary.functions.map((f) => ({
    "function — file": f.name,
    "self share of samples": pct(f.share),
  }));

try {
  const readings = await profiled("mqtt", (ports) =>
    publishSteadily(`mqtt://127.0.0.1:${ports.mqtt}`, "bench-profile", perSecond, seconds),
  );
  const requests = await profiled("collector", (ports) => collectorLoad(ports.http));
  const line = (what: string, p: Profiled) =>
    `${what}: ${fmt(p.done)} in ${seconds} s, ${fmt(p.cpuPercent)} % of a core with the profiler ` +
    `(${fmt((((p.cpuPercent / 100) * seconds * 1000) / Math.max(1, p.done)) * 1000)} ms of CPU per 1,000)`;
  writeResult({
    name: "profile",
    quick,
    title:
      `Where \`iot serve\`'s CPU goes (Bun's sampling profiler, \`iot serve\` from source) at ` +
      `${fmt(perSecond)} MQTT QoS 1 readings/s into SQLite and at ${fmt(perSecond)} ` +
      "`POST /office_status`/s, each for its own run",
    tables: [
      {
        caption: `${line("MQTT QoS 1 readings → SQLite", readings)}, by area`,
        rows: areaRows(readings),
      },
      {
        caption: "MQTT QoS 1 readings → SQLite, the functions with the most self time",
        rows: functionRows(readings),
      },
      {
        caption: `${line("`POST /office_status` → Kafka", requests)}, by area`,
        rows: areaRows(requests),
      },
      {
        caption: "`POST /office_status` → Kafka, the functions with the most self time",
        rows: functionRows(requests),
      },
    ],
    limits:
      "An area is the innermost frame of our code or of a package on the sampled stack, so time in " +
      "a native call (fdatasync, SQLite's statements, socket writes) counts for the code that made " +
      "it; “runtime” is Bun's own built-in modules, “runtime (outside JavaScript)” time outside any " +
      "script (the event loop, I/O). Sampling every 1 ms adds a few % of CPU.",
    headline: [],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
