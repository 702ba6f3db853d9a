/** Small helpers shared by the benchmark scripts: timing, percentiles, tables, processes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/support/net.ts";
import { percentile as nearestRank } from "./stats.ts";

export const root = join(import.meta.dir, "..");
export const resultsDir = join(root, "bench/results");

/** The p-th percentile of a sample (see stats.ts). */
export function percentile(values: number[], p: number): number {
  return nearestRank(values, p);
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

/** What every benchmark writes to bench/results/<name>.json and the report reads. */
export interface BenchResult {
  name: string;
  /** one line: what is measured against what */
  title: string;
  at: string;
  quick: boolean;
  ok: boolean;
  /** set when the benchmark failed in this run (the tables are then empty) */
  error?: string;
  tables: Array<{ caption: string; rows: Row[] }>;
  /** the "what limits it" line under the tables */
  limits: string;
  /** figures for the README's summary: the figure, its yardstick in the same run, the ratio */
  headline: Array<{ measure: string; iot: string; yardstick: string; ratio: string }>;
  notes?: string[];
}

/** Writes bench/results/<name>.json and prints its tables. */
export function writeResult(result: Omit<BenchResult, "at" | "ok"> & { ok?: boolean }) {
  const full: BenchResult = { at: new Date().toISOString(), ok: true, ...result };
  for (const t of full.tables) console.log(`\n${t.caption}\n\n${table(t.rows)}`);
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${full.name}.json`);
  writeFileSync(file, JSON.stringify(full, null, 2) + "\n");
  return file;
}

/** Fails with the Debian package to install when a command-line tool is missing. */
export function requireTools(tools: Record<string, string>) {
  const missing = Object.entries(tools).filter(([cmd]) => !Bun.which(cmd));
  if (missing.length)
    throw new Error(
      `missing ${missing.map(([c]) => c).join(", ")}: apt-get install ` +
        [...new Set(missing.map(([, deb]) => deb))].join(" "),
    );
}

/** Debian's own Python (not a pyenv one on PATH), which has the python3-* packages. */
export const debianPython = "/usr/bin/python3";

/** Fails with the Debian package to install when a module is missing from Debian's Python. */
export function requirePythonModules(modules: Record<string, string>) {
  requireTools({ [debianPython]: "python3" });
  const missing = Object.entries(modules).filter(
    ([mod]) =>
      Bun.spawnSync([debianPython, "-c", `import ${mod}`], { stdout: "ignore", stderr: "ignore" })
        .exitCode !== 0,
  );
  if (missing.length)
    throw new Error(
      `${debianPython} lacks ${missing.map(([m]) => m).join(", ")}: apt-get install ` +
        missing.map(([, deb]) => deb).join(" "),
    );
}

type Killable = { pid: number; kill(signal?: number | NodeJS.Signals): void };
const children = new Set<Killable>();
const dirs = new Set<string>();
let hooked = false;

/** A fresh directory under the system's temp dir, removed when this script exits, however. */
export function tempDir(prefix: string): string {
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/**
 * Stops `proc` by its PID if this script exits before stopping it itself — on an error, on
 * SIGINT or SIGTERM. Returns the function that forgets it (after a clean stop).
 */
export function track(proc: Killable): () => void {
  hookExit();
  children.add(proc);
  return () => void children.delete(proc);
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const p of children) {
      try {
        p.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.once(sig, () => process.exit(sig === "SIGINT" ? 130 : 143));
}

export function table(rows: Row[]): string {
  const cols = Object.keys(rows[0] ?? {});
  const fmt = (v: Cell) =>
    v === null
      ? "—"
      : typeof v === "number"
        ? Number.isInteger(v)
          ? v.toLocaleString("en-US")
          : v.toFixed(2)
        : v;
  const lines = [
    `| ${cols.join(" | ")} |`,
    `| ${cols.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cols.map((c) => fmt(r[c] ?? "")).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** Runs a command to completion, returning wall seconds; throws on a non-zero exit. */
export async function timed(
  cmd: string[],
  opts: { stdin?: Blob | "ignore"; stdout?: "ignore" | "pipe" } = {},
) {
  const t0 = performance.now();
  const p = Bun.spawn(cmd, {
    stdin: opts.stdin ?? "ignore",
    stdout: opts.stdout ?? "ignore",
    stderr: "pipe",
  });
  const out = opts.stdout === "pipe" ? await new Response(p.stdout).text() : "";
  const code = await p.exited;
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0)
    throw new Error(`${cmd.join(" ")} exited ${code}: ${await new Response(p.stderr).text()}`);
  return { seconds, out };
}

/**
 * `iot serve` in its own process, so its CPU is not shared with the load generator: from source,
 * or the compiled `binary`; on free loopback ports, ready once /healthz answers. Tracked from the
 * moment it is spawned, so a start that fails or is interrupted leaves nothing running.
 */
export async function startServe(
  dataDir: string,
  role: string,
  args: string[] = [],
  opts: {
    binary?: string;
    /** Bun's own flags before the script (from source only), e.g. `--cpu-prof` */
    runtimeArgs?: string[];
    readyTimeoutMs?: number;
    /** another process's brokers (a fleet member): its Kafka and MQTT ports */
    brokers?: { kafka: number; mqtt: number };
  } = {},
) {
  const ports = {
    http: await freePort(),
    kafka: opts.brokers?.kafka ?? (await freePort()),
    mqtt: opts.brokers?.mqtt ?? (await freePort()),
  };
  const t0 = performance.now();
  const proc = Bun.spawn(
    [
      ...(opts.binary
        ? [opts.binary]
        : [process.execPath, ...(opts.runtimeArgs ?? []), join(root, "src/main.ts")]),
      "serve",
      "--role",
      role,
      "--data-dir",
      dataDir,
      "--http-port",
      String(ports.http),
      "--kafka-port",
      String(ports.kafka),
      "--mqtt-port",
      String(ports.mqtt),
      ...args,
    ],
    { stdout: "ignore", stderr: "inherit" },
  );
  const untrack = track(proc);
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
    untrack();
  };
  const healthz = `http://127.0.0.1:${ports.http}/healthz`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    const ok = await fetch(healthz).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      const why = proc.exitCode !== null ? `exited ${proc.exitCode}` : "timed out";
      await stop();
      throw new Error(`iot serve not ready at ${healthz}: ${why}`);
    }
    await Bun.sleep(5);
  }
  return {
    proc,
    ports,
    kafka: `127.0.0.1:${ports.kafka}`,
    /** spawn → /healthz answering 2xx */
    readyMs: performance.now() - t0,
    stop,
  };
}

/** The disk's own sequential write rate with fdatasync at the end (dd), in MB/s. */
export async function ddWriteMBps(dir: string, mb = 1024): Promise<number> {
  const file = join(dir, "dd.bin");
  const { seconds } = await timed([
    "dd",
    "if=/dev/zero",
    `of=${file}`,
    "bs=1M",
    `count=${mb}`,
    "conv=fdatasync",
  ]);
  await Bun.file(file).delete();
  return (mb * 1024 * 1024) / seconds / 1e6;
}
