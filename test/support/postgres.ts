/**
 * A throwaway PostgreSQL cluster for a test file: Debian's PostgreSQL (`initdb`, `postgres`)
 * in a temp dir, on a free loopback port, trust auth for the superuser `iot`, its unix socket in
 * the temp dir. PostgreSQL refuses to run as root, so under root the cluster belongs to the
 * `postgres` user (setpriv execs, so the PID we hold is the postmaster's). `stop()` ends it by
 * that PID and removes the dir; an exit hook does the same if a test file dies first.
 */
import { SQL } from "bun";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.ts";

/** IOT_PG_BIN, else the newest Debian PostgreSQL installed (/usr/lib/postgresql/<major>/bin). */
function findBinDir(): string {
  if (process.env.IOT_PG_BIN) return process.env.IOT_PG_BIN;
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return join(root, majors[0] ?? "15", "bin");
}
const binDir = findBinDir();
const superuser = "iot";

export interface PostgresCluster {
  port: number;
  /** the temp dir holding the cluster's files and socket (removed by stop) */
  dir: string;
  /** the cluster's postmaster */
  pid: number;
  /** a URL for database `name` (not created: see createDatabase) */
  url(name: string): string;
  /** a fresh, empty database; answers its URL */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export const postgresAvailable = existsSync(join(binDir, "postgres"));

/** Runs argv as the `postgres` user when we are root (PostgreSQL refuses root), else as we are. */
function asOwner(argv: string[]): string[] {
  if (process.getuid?.() !== 0) return argv;
  return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", ...argv];
}

function ownerIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(Bun.spawnSync(["id", flag, "postgres"]).stdout.toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

export interface PostgresClusterOptions {
  /** TLS on the TCP listener (`ssl=on`) with this certificate and key (PEM files) */
  tls?: { certPath: string; keyPath: string };
  /** PostgreSQL's durable defaults (fsync, synchronous_commit) instead of a throwaway's: benchmarks */
  durable?: boolean;
}

/**
 * Who may connect how: the superuser `iot` by trust (the tests' own role), on the socket and
 * loopback; any other role only with its password (scram), so a test can check credentials.
 */
const hba = `local all all trust
host all iot 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
`;

export async function startPostgres(
  options: PostgresClusterOptions = {},
): Promise<PostgresCluster> {
  if (!postgresAvailable) throw new Error(`PostgreSQL not found in ${binDir} (IOT_PG_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), "iot-pg-"));
  const owner = ownerIds();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  const init = Bun.spawnSync(
    asOwner([
      join(binDir, "initdb"),
      "-D",
      data,
      "-U",
      superuser,
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]),
    { stdout: "pipe", stderr: "pipe" },
  );
  if (init.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr.toString()}`);
  }
  const own = (path: string, mode: number) => {
    if (owner) chownSync(path, owner.uid, owner.gid);
    chmodSync(path, mode);
  };
  writeFileSync(join(data, "pg_hba.conf"), hba);
  own(join(data, "pg_hba.conf"), 0o600);
  const tlsArgs: string[] = [];
  if (options.tls) {
    // PostgreSQL reads the key only if its owner alone can
    copyFileSync(options.tls.certPath, join(dir, "server.pem"));
    copyFileSync(options.tls.keyPath, join(dir, "server.key"));
    own(join(dir, "server.pem"), 0o644);
    own(join(dir, "server.key"), 0o600);
    tlsArgs.push(
      "-c",
      "ssl=on",
      "-c",
      `ssl_cert_file=${join(dir, "server.pem")}`,
      "-c",
      `ssl_key_file=${join(dir, "server.key")}`,
    );
  }
  const port = await freePort();
  const proc = Bun.spawn(
    asOwner([
      join(binDir, "postgres"),
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      // a throwaway cluster: durability buys nothing here (a benchmark asks for it)
      ...(options.durable
        ? []
        : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
      "-c",
      "max_connections=100",
      ...tlsArgs,
    ]),
    // its log to a file, not a pipe nobody drains
    { stdout: "ignore", stderr: Bun.file(join(dir, "postgres.log")) },
  );
  let stopped = false;
  const kill = () => {
    if (stopped) return;
    stopped = true;
    // SIGINT: PostgreSQL's fast shutdown (clients disconnected, no waiting for them)
    proc.kill("SIGINT");
  };
  const onExit = () => {
    kill();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  const stop = async () => {
    kill();
    const deadline = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(deadline);
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = (name: string) => `postgres://${superuser}@127.0.0.1:${port}/${name}`;
  try {
    await waitReady(url("postgres"), proc, join(dir, "postgres.log"));
  } catch (e) {
    await stop();
    throw e;
  }
  let made = 0;
  return {
    port,
    dir,
    pid: proc.pid,
    url,
    async createDatabase(name = `t${process.pid}_${++made}`) {
      const admin = new SQL(url("postgres"));
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.close();
      }
      return url(name);
    },
    stop,
  };
}

async function waitReady(
  url: string,
  proc: ReturnType<typeof Bun.spawn>,
  logFile: string,
): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) {
      throw new Error(`postgres exited (${proc.exitCode}): ${readFileSync(logFile, "utf8")}`);
    }
    const client = new SQL(url, { max: 1, connectionTimeout: 2 });
    try {
      await client`SELECT 1`;
      return;
    } catch (e) {
      last = e;
    } finally {
      await client.close().catch(() => {});
    }
    await Bun.sleep(50);
  }
  throw new Error(`postgres not ready: ${String(last)}`);
}
