import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../../test/support/temp.ts";
import { createLogger } from "../log/index.ts";
import { DataDirError, openDataDir } from "./index.ts";

const dirs = tempDirs("iot-datadir-");
afterAll(() => dirs.cleanup());

const serveAll = { command: "iot serve", owner: true, store: "shared" } as const;
const servePart = { command: "iot serve", owner: false, store: "shared" } as const;
const migrate = { command: "iot migrate", owner: true, store: "exclusive" } as const;
const token = { command: "iot token", owner: false, store: "shared" } as const;

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger("warn", "test", (l) => lines.push(l)) };
}

const modeOf = (p: string) => statSync(p).mode & 0o777;

describe("openDataDir", () => {
  test("creates a missing data dir 0700, with its lock files 0600", () => {
    const path = join(dirs.make(), "a", "data");
    const d = openDataDir(path, serveAll);
    expect(modeOf(path)).toBe(0o700);
    expect(modeOf(join(path, "iot.lock"))).toBe(0o600);
    expect(modeOf(join(path, "iot.db.lock"))).toBe(0o600);
    d.release();
  });

  test("an existing data dir open to others is made 0700, with a log line", () => {
    const path = dirs.make();
    chmodSync(path, 0o755);
    const { lines, log } = capture();
    openDataDir(path, serveAll, log).release();
    expect(modeOf(path)).toBe(0o700);
    expect(lines.join("\n")).toContain("data dir was 0755, open to other users; made it 0700");
  });

  test("a second owner is refused in one line naming the data dir and the holder's PID", () => {
    const path = dirs.make();
    const first = openDataDir(path, serveAll);
    expect(() => openDataDir(path, serveAll)).toThrow(
      new DataDirError(
        `data dir ${path} is in use by iot serve (PID ${process.pid}); stop it first or give another --data-dir`,
      ),
    );
    first.release();
    openDataDir(path, serveAll).release();
  });

  test("serve's other roles and iot token share the store beside the owner", () => {
    const path = dirs.make();
    const owner = openDataDir(path, serveAll);
    const consumers = openDataDir(path, servePart);
    const collector = openDataDir(path, servePart);
    const t = openDataDir(path, token);
    for (const d of [t, collector, consumers, owner]) d.release();
  });

  test("iot migrate runs alone: refused beside any serve or token, and they beside it", () => {
    const path = dirs.make();
    const consumers = openDataDir(path, servePart);
    expect(() => openDataDir(path, migrate)).toThrow(`data dir ${path} is in use by`);
    consumers.release();
    const m = openDataDir(path, migrate);
    expect(() => openDataDir(path, serveAll)).toThrow("iot migrate (PID");
    expect(() => openDataDir(path, servePart)).toThrow("iot migrate (PID");
    expect(() => openDataDir(path, token)).toThrow("iot migrate (PID");
    m.release();
  });

  test("a data dir that cannot be made names the path and the reason", () => {
    const file = join(dirs.make(), "file");
    writeFileSync(file, "");
    expect(() => openDataDir(join(file, "data"), serveAll)).toThrow(
      new DataDirError(
        `data dir ${join(file, "data")}: cannot create it (ENOTDIR: a part of the path is not a directory)`,
      ),
    );
    expect(() => openDataDir(file, serveAll)).toThrow(`data dir ${file}: cannot create it`);
  });

  test("a data dir where files cannot be created names the path and the reason", () => {
    // root ignores permission bits; /proc's own directories refuse new files to everyone
    const path = "/proc/self";
    let err: unknown;
    try {
      openDataDir(path, { command: "iot device", owner: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirError);
    expect((err as Error).message).toMatch(
      /^data dir \/proc\/self(: cannot| is not writable) .*\((EACCES|EPERM|EROFS|ENOENT)/,
    );
  });
});

test("a nested path is made with every missing parent", () => {
  const base = dirs.make();
  mkdirSync(join(base, "x"));
  openDataDir(join(base, "x", "y", "z"), { command: "iot device", owner: true }).release();
  expect(modeOf(join(base, "x", "y", "z"))).toBe(0o700);
});
