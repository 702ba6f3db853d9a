import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { openDataDir } from "../core/datadir/index.ts";
import { runMain as run } from "../../test/support/cli.ts";

const dirs = tempDirs("iot-cli-migrate-");
afterAll(() => dirs.cleanup());

test("iot migrate --help says it runs alone", async () => {
  expect((await run(["migrate", "--help"])).out).toContain("refuses while an iot serve");
});

test("iot migrate refuses while a serve (any role) uses the data dir, in one line; then runs", async () => {
  const dataDir = join(dirs.make(), "data");
  // what `iot serve --role consumers` holds: the store, shared
  const consumers = openDataDir(dataDir, { command: "iot serve", owner: false, store: "shared" });
  const refused = await run(["migrate", "--data-dir", dataDir]);
  expect(refused.code).toBe(1);
  expect(refused.err).toBe(
    `iot migrate: data dir ${dataDir} is in use by PID ${process.pid}; stop it first or give another --data-dir\n`,
  );
  consumers.release();
  const serve = openDataDir(dataDir, { command: "iot serve", owner: true, store: "shared" });
  expect((await run(["migrate", "--data-dir", dataDir])).err).toContain(
    `is in use by iot serve (PID ${process.pid})`,
  );
  serve.release();
});
