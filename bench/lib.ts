/** Small helpers shared by the benchmark scripts: timing, percentiles, tables, processes. */
import { join } from "node:path";
import { startServeProcess } from "../test/support/serve-process.ts";

export const root = join(import.meta.dir, "..");

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const fmt = (v: string | number) =>
    typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(2)) : v;
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

/** `iot serve` in its own process, so its CPU is not shared with the load generator. */
export async function startServe(dataDir: string, role: string, args: string[] = []) {
  const serve = await startServeProcess({ dataDir, role, args });
  return {
    proc: serve.proc,
    ports: { http: serve.httpPort, kafka: serve.kafkaPort, mqtt: serve.mqttPort },
    kafka: serve.kafkaAddress,
    stop: async () => void (await serve.stop()),
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
