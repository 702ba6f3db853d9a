import { join } from "node:path";
import { freePort, waitForHttp } from "./net.ts";

const root = join(import.meta.dir, "../..");

export interface ServeProcess {
  proc: ReturnType<typeof Bun.spawn>;
  httpPort: number;
  kafkaPort: number;
  mqttPort: number;
  kafkaAddress: string;
  /** SIGTERM and wait for the exit code */
  stop(): Promise<number>;
}

/**
 * `iot serve` from source in its own process (so a test can `kill -9` it), on free ports,
 * ready once /healthz answers. Ports can be reused across restarts of the same data dir.
 * Ports picked here can be taken by another process before serve binds them (seen in CI: "is
 * already in use", exit 1): a serve that exits before it is ready gets fresh ones, up to 3 tries.
 */
export async function startServeProcess(
  opts: Parameters<typeof startOnce>[0],
): Promise<ServeProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (opts.ports || attempt === 3 || !(e instanceof ExitedEarly)) throw e;
    }
  }
}

class ExitedEarly extends Error {}

async function startOnce(opts: {
  dataDir: string;
  role?: string;
  ports?: { http: number; kafka: number; mqtt: number };
  args?: string[];
  /** the server speaks HTTPS (with `--tls-cert` in args): readiness is checked trusting this CA */
  ca?: string;
  /** append the server's log (stderr) to this file instead of the test's stderr */
  stderrFile?: string;
  /** what runs `iot` (default: src/main.ts under this bun), e.g. [compiled binary] */
  command?: string[];
}): Promise<ServeProcess> {
  const ports = opts.ports ?? {
    http: await freePort(),
    kafka: await freePort(),
    mqtt: await freePort(),
  };
  const proc = Bun.spawn(
    [
      ...(opts.command ?? [process.execPath, join(root, "src/main.ts")]),
      "serve",
      "--role",
      opts.role ?? "all",
      "--data-dir",
      opts.dataDir,
      "--http-port",
      String(ports.http),
      "--kafka-port",
      String(ports.kafka),
      "--mqtt-port",
      String(ports.mqtt),
      ...(opts.args ?? []),
    ],
    { stdout: "ignore", stderr: opts.stderrFile ? Bun.file(opts.stderrFile) : "inherit" },
  );
  const scheme = opts.ca ? "https" : "http";
  const exited = () => (proc.exitCode === null ? undefined : `iot serve exited ${proc.exitCode}`);
  try {
    await waitForHttp(
      `${scheme}://127.0.0.1:${ports.http}/healthz`,
      40_000,
      { tls: opts.ca ? { ca: opts.ca } : undefined } as RequestInit,
      exited,
    );
  } catch (e) {
    if (exited() === undefined) throw e;
    throw new ExitedEarly((e as Error).message);
  }
  return {
    proc,
    httpPort: ports.http,
    kafkaPort: ports.kafka,
    mqttPort: ports.mqtt,
    kafkaAddress: `127.0.0.1:${ports.kafka}`,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}
