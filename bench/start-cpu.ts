/**
 * bench/start-cpu: the CPU `iot serve` spends from exec to its first `/healthz` 200, on a fresh
 * data dir — the sum of its threads' run time (/proc/<pid>/task/<tid>/schedstat), steadier on a
 * loaded machine than the wall time bench/footprint's `--only start` reports. Several binaries
 * (e.g. builds of two commits: `git worktree add`, `bun scripts/build.ts --target linux-x64`)
 * are started in turn, run after run, so a load that comes and goes hits them alike.
 *
 *   bun bench/start-cpu.ts [--runs 9] [binary …]   (default: this tree's dist/iot-linux-x64)
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/support/net.ts";
import { median } from "./stats.ts";
import { tempDir } from "./lib.ts";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 9;
const binaries = args.filter((a, i) => !a.startsWith("--") && i !== runsAt + 1);
if (binaries.length === 0) binaries.push(join(import.meta.dir, "../dist/iot-linux-x64"));

/** CPU ms of every thread of `pid` alive now (threads already gone are not counted) */
function threadsCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1e6;
}

async function startOnce(binary: string): Promise<{ cpuMs: number; wallMs: number }> {
  const dir = tempDir("iot-bench-start-cpu-");
  const [http, kafka, mqtt] = [await freePort(), await freePort(), await freePort()];
  const t0 = performance.now();
  const proc = Bun.spawn(
    [binary, "serve", "--role", "all", "--data-dir", join(dir, "data")]
      .concat(["--http-port", String(http), "--kafka-port", String(kafka)])
      .concat(["--mqtt-port", String(mqtt)]),
    { stdout: "ignore", stderr: "ignore" },
  );
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${binary} exited with ${proc.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${http}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await Bun.sleep(3);
    }
    return { cpuMs: threadsCpuMs(proc.pid), wallMs: performance.now() - t0 };
  } finally {
    proc.kill("SIGKILL");
    await proc.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map(binaries.map((b) => [b, [] as Array<{ cpuMs: number; wallMs: number }>]));
for (let i = 0; i < runs; i++) for (const b of binaries) results.get(b)!.push(await startOnce(b));
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`start-up to /healthz, fresh data dir, ${runs} runs each in turn (load ${load}):`);
for (const [b, r] of results)
  console.log(
    `  ${b}\n    CPU median ${median(r.map((x) => x.cpuMs)).toFixed(0)} ms ` +
      `(${r.map((x) => x.cpuMs.toFixed(0)).join(", ")}); wall median ` +
      `${median(r.map((x) => x.wallMs)).toFixed(0)} ms`,
  );
