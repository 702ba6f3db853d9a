/**
 * `--jit steady`: serve starts itself again (execve) with JavaScriptCore's FTL off, keeping its
 * pid, its arguments and bun's own flags; the default leaves the process as it was started.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-jit-");
afterAll(() => dirs.cleanup());
const main = join(import.meta.dir, "../../src/main.ts");

const nulSeparated = (pid: number, file: string) =>
  readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0").filter(Boolean);

test("--jit steady: the same pid serves, with BUN_JSC_useFTLJIT=0 and bun's flags kept", async () => {
  const serve = await startServeProcess({
    dataDir: dirs.make(),
    args: ["--jit", "steady"],
    command: [process.execPath, "--smol", main],
  });
  try {
    // startServeProcess waited for /healthz: the process spawned is the one answering
    expect((await fetch(`http://127.0.0.1:${serve.httpPort}/healthz`)).status).toBe(200);
    // and Bun accepted the variables (it refuses to start on an unknown JavaScriptCore option)
    const env = nulSeparated(serve.proc.pid, "environ");
    expect(env).toContain("BUN_JSC_useFTLJIT=0");
    expect(env).toContain("BUN_JSC_useWarmUpMarkedBlocks=0");
    const cmdline = nulSeparated(serve.proc.pid, "cmdline");
    expect(cmdline.slice(1, 4)).toEqual(["--smol", main, "serve"]);
    expect(cmdline).toContain("steady");
  } finally {
    expect(await serve.stop()).toBe(0);
  }
}, 60_000);

test("--jit full (the default): no restart, every tier", async () => {
  const serve = await startServeProcess({ dataDir: dirs.make() });
  try {
    const env = nulSeparated(serve.proc.pid, "environ");
    expect(env.some((kv) => kv.startsWith("BUN_JSC_useFTLJIT="))).toBe(false);
  } finally {
    expect(await serve.stop()).toBe(0);
  }
}, 60_000);
