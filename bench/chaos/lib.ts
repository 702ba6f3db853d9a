/**
 * Processes for the fault scenarios: `iot serve` (and `iot device`) from source on a given data
 * dir and fixed ports, so a scenario can `kill -9` one and start it again where it was. Every
 * process and temp dir made here is registered, and removed on SIGINT/SIGTERM of the runner.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForHttp } from "../../test/support/net.ts";

export const root = join(import.meta.dir, "../..");
const main = join(root, "src/main.ts");

type Proc = ReturnType<typeof Bun.spawn>;
const live = new Set<Proc>();
const dirs = new Set<string>();

/** Kills (by PID) every process still running and removes every temp dir made here. */
export function cleanupAll(): void {
  for (const p of live) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

let handlersInstalled = false;
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.on(sig, () => {
      cleanupAll();
      process.exit(130);
    });
}

export function tempDir(prefix: string): string {
  installSignalHandlers();
  const d = mkdtempSync(join(tmpdir(), `iot-chaos-${prefix}-`));
  dirs.add(d);
  return d;
}

export function removeDir(d: string): void {
  rmSync(d, { recursive: true, force: true });
  dirs.delete(d);
}

export interface Ports {
  http: number;
  mqtt: number;
  kafka: number;
}

export async function freePorts(): Promise<Ports> {
  return { http: await freePort(), mqtt: await freePort(), kafka: await freePort() };
}

/** Spawns `bun src/main.ts <args>` with stderr to `log`; the process is registered. */
export function spawnIot(args: string[], log: string): Proc {
  return spawnTracked([process.execPath, main, ...args], log);
}

/** Spawns `cmd` with stderr to `log`; registered, so the runner kills it on SIGINT. */
export function spawnTracked(cmd: string[], log: string): Proc {
  installSignalHandlers();
  const proc = Bun.spawn(cmd, {
    stdin: "ignore",
    stdout: "ignore",
    stderr: Bun.file(log),
  });
  live.add(proc);
  void proc.exited.then(() => live.delete(proc));
  return proc;
}

export interface Serve {
  proc: Proc;
  ports: Ports;
  dataDir: string;
  /** SIGKILL and wait for the exit */
  kill9(): Promise<void>;
  /** SIGTERM, wait for the exit (SIGKILL after 20 s) */
  stop(): Promise<number>;
}

let serial = 0;

/** `iot serve` from source on `dataDir` and `ports`, ready once /healthz answers 2xx. */
export async function startServe(opts: {
  dataDir: string;
  ports: Ports;
  role?: string;
  args?: string[];
  logDir: string;
  readyTimeoutMs?: number;
}): Promise<Serve> {
  const { dataDir, ports } = opts;
  const log = join(opts.logDir, `serve-${++serial}.log`);
  const proc = spawnIot(
    [
      "serve",
      "--role",
      opts.role ?? "all",
      "--data-dir",
      dataDir,
      "--http-port",
      String(ports.http),
      "--mqtt-port",
      String(ports.mqtt),
      "--kafka-port",
      String(ports.kafka),
      ...(opts.args ?? []),
    ],
    log,
  );
  const exitedEarly = proc.exited.then((code) => {
    throw new Error(`iot serve exited ${code} at start: ${tail(log)}`);
  });
  await Promise.race([
    waitForHttp(`http://127.0.0.1:${ports.http}/healthz`, opts.readyTimeoutMs ?? 60_000),
    exitedEarly,
  ]);
  exitedEarly.catch(() => {});
  return {
    proc,
    ports,
    dataDir,
    async kill9() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    async stop() {
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 20_000);
      const code = await proc.exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** The last lines of a log file, for error messages. */
export function tail(path: string, lines = 8): string {
  try {
    return readFileSync(path, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Resident set size of a process in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A Prometheus counter or gauge from /metrics (summed over labels), or NaN if unreachable. */
export async function metric(httpPort: number, name: string): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    let sum = 0;
    for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "gm")))
      sum += Number(m[1]);
    return sum;
  } catch {
    return NaN;
  }
}

export const sleep = (ms: number) => Bun.sleep(ms);

/** Polls `check` until true or the deadline; returns whether it became true. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await Bun.sleep(everyMs);
  }
  return check();
}
