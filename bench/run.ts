/**
 * `npm run bench`: every benchmark in sequence, each in its own process with a time limit; a
 * failing one is recorded (bench/results/<name>.json with the error) and the run goes on. Then
 * bench/report.ts writes docs/PERFORMANCE.md and the README's summary from the JSON.
 *
 *   bun bench/run.ts                 all of them (≈ 25 minutes; prune alone ≈ 15)
 *   bun bench/run.ts <name> …        only these (the report still lists all)
 *   bun bench/run.ts --quick         short durations, to check the scripts work
 *   bun bench/run.ts --report-only   regenerate docs/PERFORMANCE.md from bench/results/
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resultsDir, root, track, type BenchResult } from "./lib.ts";
import { describeMachine } from "./machine.ts";
import { writeReport } from "./report.ts";

/** In running order, with a generous time limit (the full run's expected time is far below). */
const benchmarks = [
  { name: "kafka-broker", limitS: 180 },
  { name: "mqtt-ingest", limitS: 150 },
  { name: "collector", limitS: 120 },
  { name: "pipeline", limitS: 300 },
  { name: "dashboard-sse", limitS: 150 },
  { name: "dashboard", limitS: 600 },
  { name: "footprint", limitS: 600 },
  // where the CPU goes at 1,000 readings/s and 1,000 collector requests/s (bun --cpu-prof)
  { name: "profile", limitS: 240 },
  // the JS garbage one reading leaves per ingest stage (bytes, from the GC log)
  { name: "garbage", limitS: 180 },
  // fills 10 M rows twice (SQLite, PostgreSQL), then reads; ingest on three stores first
  { name: "pg-store", limitS: 1800 },
  // 10 M rows filled, then roll-up, prune and vacuum twice (A/B): ≈ 15 minutes on 2 cores
  { name: "prune", limitS: 2400 },
] as const;

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log(
    "Usage: bun bench/run.ts [--quick] [--report-only] [name …]\n" +
      `benchmarks: ${benchmarks.map((b) => b.name).join(", ")}`,
  );
  process.exit(0);
}
const quick = args.includes("--quick");
const reportOnly = args.includes("--report-only");
const names = benchmarks.map((b) => b.name as string);
const asked = args.filter((a) => !a.startsWith("--"));
const unknown = asked.filter((a) => !names.includes(a));
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(", ")} (one of ${names.join(", ")})`);
  process.exit(2);
}

/** Runs one benchmark script, streaming its output; returns null or why it failed. */
async function runOne(name: string, limitS: number): Promise<string | null> {
  const proc = Bun.spawn(
    [process.execPath, join(root, "bench", `${name}.ts`), ...(quick ? ["--quick"] : [])],
    { cwd: root, stdout: "inherit", stderr: "pipe" },
  );
  const untrack = track(proc);
  let tail = "";
  const stderr = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr as unknown as AsyncIterable<Uint8Array>) {
      process.stderr.write(chunk);
      tail = (tail + decoder.decode(chunk, { stream: true })).slice(-2000);
    }
  })();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGTERM");
    setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
  }, limitS * 1000);
  const code = await proc.exited;
  clearTimeout(timer);
  await stderr;
  untrack();
  // Bun prints the thrown error as `error: <message>` after the source excerpt
  const why = /^error: (.*)$/m.exec(tail)?.[1] ?? "";
  const last = tail.trim().split("\n").slice(-12).join("\n");
  if (timedOut) return `stopped after the ${limitS} s limit\n${last}`;
  return code === 0 ? null : `exited ${code}${why ? `: ${why}` : ""}\n${last}`;
}

let failed = 0;
if (!reportOnly) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, "machine.json"),
    JSON.stringify(describeMachine(root), null, 2) + "\n",
  );
  const chosen = benchmarks.filter((b) => asked.length === 0 || asked.includes(b.name));
  for (const { name, limitS } of chosen) {
    const t0 = performance.now();
    console.log(`\n=== bench/${name}.ts${quick ? " --quick" : ""}`);
    const error = await runOne(name, limitS);
    const took = ((performance.now() - t0) / 1000).toFixed(0);
    if (error) {
      failed++;
      console.error(`=== ${name} FAILED after ${took} s: ${error.split("\n")[0]}`);
      const result: BenchResult = {
        name,
        title: name,
        at: new Date().toISOString(),
        quick,
        ok: false,
        error,
        tables: [],
        limits: "",
        headline: [],
      };
      writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(result, null, 2) + "\n");
    } else console.log(`=== ${name} done in ${took} s`);
  }
}

const written = writeReport(root, names);
// the generated Markdown and JSON follow the repo's formatting like every other file
Bun.spawnSync(
  [
    join(root, "node_modules/.bin/prettier"),
    "--write",
    "--log-level",
    "warn",
    ...written,
    resultsDir,
  ],
  { cwd: root, stdout: "inherit", stderr: "inherit" },
);
console.log(`\nwrote ${written.map((f) => f.slice(root.length + 1)).join(", ")}`);
if (failed) {
  console.error(`${failed} benchmark(s) failed; see their entries in docs/PERFORMANCE.md`);
  process.exit(1);
}
