/**
 * Smoke test of what users download: the compiled binaries, not the sources. The x64 binary
 * serves from an empty directory (so migrations and htmx must be embedded); the arm64 binary
 * runs under qemu-user.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitForHttp } from "./support/net.ts";
import { tempDirs } from "./support/temp.ts";

const root = join(import.meta.dir, "..");
const x64 = join(root, "dist/iot-linux-x64");
const arm64 = join(root, "dist/iot-linux-arm64");
const dirs = tempDirs("iot-bin-");

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, "scripts/build.ts"], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await build.exited) !== 0) throw new Error(await new Response(build.stderr).text());
}, 240_000);
afterAll(() => dirs.cleanup());

describe("x64 binary", () => {
  test("version prints the version and the git commit", async () => {
    const p = Bun.spawn([x64, "version"], { stdout: "pipe" });
    const out = await new Response(p.stdout).text();
    expect(await p.exited).toBe(0);
    expect(out).toMatch(/^iot \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}, linux-x64\)\n$/);
  });

  test("serve from an empty dir: migrates, answers /healthz, serves htmx, stops on SIGTERM", async () => {
    const cwd = dirs.make();
    const port = await freePort();
    const proc = Bun.spawn([x64, "serve", "--http-port", String(port)], {
      cwd,
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const health = await (await waitForHttp(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health.status).toBe("ok");
      expect(health.components.store.state).toBe("up");
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(page).toContain('src="/static/htmx.min.js"');
      const js = await fetch(`http://127.0.0.1:${port}/static/htmx.min.js`);
      expect(js.status).toBe(200);
      expect((await js.text()).length).toBeGreaterThan(10_000);
      expect(existsSync(join(cwd, "iot-data/iot.db"))).toBe(true);
    } finally {
      proc.kill("SIGTERM");
    }
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("serve --jit steady: the binary starts itself again, same pid, without the FTL", async () => {
    const [http, mqtt, kafka] = [await freePort(), await freePort(), await freePort()];
    const proc = Bun.spawn(
      [x64, "serve", "--jit", "steady", "--data-dir", join(dirs.make(), "data")]
        .concat(["--http-port", String(http), "--mqtt-port", String(mqtt)])
        .concat(["--kafka-port", String(kafka)]),
      { stdout: "pipe", stderr: "pipe" },
    );
    try {
      await waitForHttp(`http://127.0.0.1:${http}/healthz`);
      const env = readFileSync(`/proc/${proc.pid}/environ`, "utf8").split("\0");
      expect(env).toContain("BUN_JSC_useFTLJIT=0");
      const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, "utf8").split("\0");
      expect(cmdline.slice(0, 4)).toEqual([x64, "serve", "--jit", "steady"]);
    } finally {
      proc.kill("SIGTERM");
    }
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("migrate creates the database in a fresh data dir", async () => {
    const cwd = dirs.make();
    const p = Bun.spawn([x64, "migrate", "--data-dir", "d"], { cwd, stdout: "pipe" });
    expect(await new Response(p.stdout).text()).toContain("applied 0000_init");
    expect(await p.exited).toBe(0);
  });
});

describe("arm64 binary under qemu", () => {
  test("version runs", async () => {
    const qemu = Bun.which("qemu-aarch64-static");
    expect(qemu).toBeTruthy(); // installed by .ci/run (qemu-user-static)
    const p = Bun.spawn([qemu!, arm64, "version"], {
      stdout: "pipe",
      env: { ...process.env, QEMU_LD_PREFIX: "/usr/aarch64-linux-gnu" },
    });
    const out = await new Response(p.stdout).text();
    expect(await p.exited).toBe(0);
    expect(out).toContain("linux-arm64");
  }, 60_000);
});
