/** Small helpers shared by the benchmark scripts: timing, percentiles, tables, processes. */
import { join } from "node:path";
import { freePort, waitForHttp } from "../test/support/net.ts";

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
  const ports = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
  const proc = Bun.spawn(
    [
      process.execPath,
      join(root, "src/main.ts"),
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
  await waitForHttp(`http://127.0.0.1:${ports.http}/healthz`, 30_000);
  return {
    proc,
    ports,
    kafka: `127.0.0.1:${ports.kafka}`,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
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
