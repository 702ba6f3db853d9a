/**
 * The data dir against the compiled binary: one process owns it (a second `iot serve` or
 * `iot device` refuses at once naming the holder's PID; a kill -9 leaves no stale lock),
 * `iot migrate` refuses beside serve while `iot token` works beside it, everything serve
 * writes is private to its user (run here with umask 022), a data dir that cannot be used is
 * one line, and `--host 127.1` is loopback because it binds 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildBinary } from "./support/binary.ts";
import { startDeviceProcess } from "./support/device-process.ts";
import { freePort, waitForHttp } from "./support/net.ts";
import { run } from "./support/run.ts";
import { tempDirs } from "./support/temp.ts";

const dirs = tempDirs("iot-datadir-");
let iot: string;
type Proc = ReturnType<typeof Bun.spawn>;
const started: Proc[] = [];

beforeAll(async () => {
  iot = await buildBinary(dirs.make());
}, 240_000);
afterEach(() => {
  for (const p of started.splice(0)) p.kill("SIGKILL");
});
afterAll(() => dirs.cleanup());

interface Serve {
  proc: Proc;
  http: number;
  log: string;
}

/** `iot serve` (the binary) on `dataDir` and free ports; stderr to a file. */
async function spawnServe(dataDir: string, args: string[] = []): Promise<Serve> {
  const [http, mqtt, kafka] = [await freePort(), await freePort(), await freePort()];
  const log = join(dirs.make(), "serve.log");
  const proc = Bun.spawn(
    [iot, "serve", "--data-dir", dataDir, "--http-port", String(http)].concat([
      "--mqtt-port",
      String(mqtt),
      "--kafka-port",
      String(kafka),
      ...args,
    ]),
    { stdout: "ignore", stderr: Bun.file(log) },
  );
  started.push(proc);
  return { proc, http, log };
}

const healthy = (s: Serve) => waitForHttp(`http://127.0.0.1:${s.http}/healthz`, 40_000);
const stderrOf = (s: Serve) => Bun.file(s.log).text();

/** Exit code within `ms`, or "running". */
async function exitWithin(proc: Proc, ms: number): Promise<number | "running"> {
  return Promise.race([proc.exited, Bun.sleep(ms).then(() => "running" as const)]);
}

function refusal(dataDir: string, pid: number): RegExp {
  const dir = dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `^iot serve: cannot start: data dir ${dir} is in use by iot serve \\(PID ${pid}\\)`,
  );
}

describe("one iot serve per data dir", () => {
  test("a second serve refuses at once naming the first's PID; after kill -9 a new one starts", async () => {
    const dataDir = join(dirs.make(), "data");
    const first = await spawnServe(dataDir);
    await healthy(first);
    const second = await spawnServe(dataDir);
    expect(await exitWithin(second.proc, 10_000)).toBe(1);
    const lines = (await stderrOf(second)).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(refusal(dataDir, first.proc.pid));
    await healthy(first); // still serving

    first.proc.kill("SIGKILL");
    await first.proc.exited;
    const third = await spawnServe(dataDir);
    await healthy(third);
    third.proc.kill("SIGTERM");
    expect(await exitWithin(third.proc, 20_000)).toBe(0);
  }, 90_000);

  test("two started together: one refuses, the other serves and stops on SIGTERM", async () => {
    const dataDir = join(dirs.make(), "data");
    const both = [await spawnServe(dataDir), await spawnServe(dataDir)];
    const loser = await Promise.race(both.map((s) => s.proc.exited.then(() => s)));
    const winner = both.find((s) => s !== loser)!;
    expect(loser.proc.exitCode).toBe(1);
    expect(await stderrOf(loser)).toMatch(refusal(dataDir, winner.proc.pid));
    await healthy(winner);
    winner.proc.kill("SIGTERM");
    expect(await exitWithin(winner.proc, 20_000)).toBe(0);
  }, 90_000);

  test("iot migrate refuses beside serve; iot token works beside it", async () => {
    const dataDir = join(dirs.make(), "data");
    const serve = await spawnServe(dataDir);
    await healthy(serve);
    const m = await run([iot, "migrate", "--data-dir", dataDir]);
    expect(m.code).toBe(1);
    expect(m.stderr).toBe(
      `iot migrate: data dir ${dataDir} is in use by iot serve (PID ${serve.proc.pid}); stop it first or give another --data-dir\n`,
    );
    const t = await run(
      [iot, "token", "create", "--kind", "http", "--subject", "ops"].concat([
        "--data-dir",
        dataDir,
      ]),
    );
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^iot_http_/);
    const list = await run([iot, "token", "list", "--data-dir", dataDir]);
    expect(list.stdout).toContain("http    ops");
    serve.proc.kill("SIGTERM");
    expect(await exitWithin(serve.proc, 20_000)).toBe(0);
    const after = await run([iot, "migrate", "--data-dir", dataDir]);
    expect(after).toMatchObject({ code: 0, stdout: `${join(dataDir, "iot.db")} is up to date\n` });
  }, 90_000);
});

describe("iot device: one agent per outbox", () => {
  test("a second device on the same data dir refuses naming the first's PID", async () => {
    const dataDir = join(dirs.make(), "outbox");
    const args = ["--sensor", "sim", "--camera", "off", "--read-interval", "0.5"].concat([
      "--data-dir",
      dataDir,
    ]);
    const port = await freePort(); // nobody listens: the agent keeps its outbox
    const server = ["--server", `mqtt://127.0.0.1:${port}`, "--id", "pi-lock"];
    const first = startDeviceProcess([...args, ...server], [iot]);
    started.push(first.proc);
    await first.waitForLine(/started/);
    const second = await run([iot, "device", ...args, ...server]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `iot device: cannot start: data dir ${dataDir} is in use by iot device (PID ${first.proc.pid}); stop it first or give another --data-dir\n`,
    );
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    const again = startDeviceProcess([...args, ...server], [iot]);
    started.push(again.proc);
    await again.waitForLine(/running \(Ctrl-C to stop\)/);
    await again.waitForLine(/ queued kind=telemetry/); // reading again, into the same outbox
    expect(await again.stop()).toBe(0);
  }, 60_000);
});

/** Every file and directory under `dir` with group or other bits set. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const mode = statSync(join(dir, name)).mode & 0o777;
    if (mode & 0o077) found.push(`${name} ${mode.toString(8)}`);
  }
  return found;
}

describe("the data dir is private to its user", () => {
  test("a fresh data dir is 0700 and every file serve writes in it is the user's only", async () => {
    const dataDir = join(dirs.make(), "data");
    const serve = await spawnServe(dataDir);
    await healthy(serve);
    // a reading through every store: Kafka log, bridge spool, SQLite (db, WAL, SHM)
    const post = await fetch(`http://127.0.0.1:${serve.http}/office_status`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ room_no: 1, status: { humidity: 10, temperature: 30 } }),
    });
    expect(post.status).toBeLessThan(300);
    const t = await run([iot, "token", "create", "--subject", "pi", "--data-dir", dataDir]);
    expect(t.code).toBe(0);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const names = readdirSync(dataDir);
    for (const f of ["iot.db", "iot.db-wal", "iot.db-shm", "iot.lock", "kafka"])
      expect(names).toContain(f);
    expect(openToOthers(dataDir)).toEqual([]);
    serve.proc.kill("SIGTERM");
    expect(await exitWithin(serve.proc, 20_000)).toBe(0);
  }, 90_000);

  test("an existing data dir open to others is made 0700 at start, with a log line", async () => {
    const dataDir = join(dirs.make(), "data");
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const serve = await spawnServe(dataDir);
    await healthy(serve);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(await stderrOf(serve)).toContain("data dir was 0755, open to other users; made it 0700");
    serve.proc.kill("SIGTERM");
    await serve.proc.exited;
  }, 60_000);

  const commands: string[][] = [["serve"], ["migrate"], ["token", "list"], ["device"]];
  test.each(commands)(
    "iot %s: a data dir that cannot be used is one line naming it and why, exit 1",
    async (...command: string[]) => {
      const file = join(dirs.make(), "not-a-dir");
      writeFileSync(file, "");
      const dataDir = join(file, "data");
      const r = await run([iot, ...command, "--data-dir", dataDir], { timeoutMs: 20_000 });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`data dir ${dataDir}: cannot create it (ENOTDIR`);
    },
    30_000,
  );
});

describe("loopback is what the host binds, not how it is spelled", () => {
  test("--host 127.1 binds 127.0.0.1 and stays open (no token asked)", async () => {
    const dataDir = join(dirs.make(), "data");
    const serve = await spawnServe(dataDir, ["--host", "127.1"]);
    await healthy(serve);
    const res = await fetch(`http://127.0.0.1:${serve.http}/status/pi-1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "Active" }),
    });
    expect(res.status).toBe(200);
    expect(await stderrOf(serve)).not.toContain("protected mode");
    serve.proc.kill("SIGTERM");
    await serve.proc.exited;
  }, 60_000);
});
