import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../../test/support/temp.ts";
import { flockAvailable } from "./flock.ts";
import { holders, LockHeld, lockFile } from "./index.ts";

const dirs = tempDirs("iot-lock-");
afterAll(() => dirs.cleanup());

/** Another process holding `path` in `mode` until killed; resolves once it holds it. */
async function holdInChild(path: string, mode: "exclusive" | "shared") {
  const code = `
    const { lockFile } = await import(${JSON.stringify(join(import.meta.dir, "index.ts"))});
    lockFile(${JSON.stringify(path)}, { mode: ${JSON.stringify(mode)}, owner: "iot test-holder" });
    process.stdout.write("held\\n");
    setInterval(() => {}, 1000);`;
  const proc = Bun.spawn([process.execPath, "-e", code], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toBe("held\n");
  return proc;
}

describe("lockFile", () => {
  test("the kernel lock is available here (bun:ffi flock)", () => {
    expect(flockAvailable()).toBe(true);
  });

  test("exclusive: a second taker is refused with the holder's PID, then gets it on release", () => {
    const path = join(dirs.make(), "iot.lock");
    const first = lockFile(path, { mode: "exclusive", owner: "iot serve" });
    expect(first.kernel).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\niot serve\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    let refused: unknown;
    try {
      lockFile(path, { mode: "exclusive", owner: "iot serve" });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(LockHeld);
    expect((refused as LockHeld).holders).toEqual([{ pid: process.pid, what: "iot serve" }]);
    expect((refused as Error).message).toContain(`iot serve (PID ${process.pid})`);
    first.release();
    const second = lockFile(path, { mode: "exclusive", owner: "iot migrate" });
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\niot migrate\n`);
    second.release();
  });

  test("shared holders share; an exclusive taker is refused while one holds it", () => {
    const path = join(dirs.make(), "iot.db.lock");
    const a = lockFile(path, { mode: "shared", owner: "iot serve" });
    const b = lockFile(path, { mode: "shared", owner: "iot token" });
    expect(() => lockFile(path, { mode: "exclusive", owner: "iot migrate" })).toThrow(LockHeld);
    a.release();
    expect(() => lockFile(path, { mode: "exclusive", owner: "iot migrate" })).toThrow(LockHeld);
    b.release();
    const m = lockFile(path, { mode: "exclusive", owner: "iot migrate" });
    expect(() => lockFile(path, { mode: "shared", owner: "iot serve" })).toThrow(LockHeld);
    m.release();
  });

  test("another process's lock names its PID; kill -9 frees it (no stale lock)", async () => {
    const path = join(dirs.make(), "iot.lock");
    const child = await holdInChild(path, "exclusive");
    try {
      expect(holders(path)).toEqual([{ pid: child.pid, what: "iot test-holder" }]);
      expect(() => lockFile(path, { mode: "exclusive", owner: "iot serve" })).toThrow(
        `iot test-holder (PID ${child.pid})`,
      );
      child.kill("SIGKILL");
      await child.exited;
      // the PID is still written in the file, but nobody holds the lock
      expect(readFileSync(path, "utf8")).toContain(String(child.pid));
      const mine = lockFile(path, { mode: "exclusive", owner: "iot serve" });
      expect(holders(path)).toEqual([{ pid: process.pid, what: "iot serve" }]);
      mine.release();
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("a shared holder in another process is named from /proc/locks", async () => {
    const path = join(dirs.make(), "iot.db.lock");
    const child = await holdInChild(path, "shared");
    try {
      expect(() => lockFile(path, { mode: "exclusive", owner: "iot migrate" })).toThrow(
        `PID ${child.pid}`,
      );
    } finally {
      child.kill("SIGKILL");
      await child.exited;
    }
  });
});
