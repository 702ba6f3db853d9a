import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { openDataDir } from "../core/datadir/index.ts";
import { runMain as run } from "../../test/support/cli.ts";

const dirs = tempDirs("iot-cli-token-");
afterAll(() => dirs.cleanup());

test("iot token --help says it is safe beside a running serve", async () => {
  expect((await run(["token", "--help"])).out).toContain("Safe beside a running iot serve");
});

test("iot token works while serve owns the data dir, and is refused while migrate runs", async () => {
  const dataDir = join(dirs.make(), "data");
  const serve = openDataDir(dataDir, { command: "iot serve", owner: true, store: "shared" });
  const list = await run(["token", "list", "--data-dir", dataDir]);
  expect(list.code).toBe(0);
  serve.release();
  const migrate = openDataDir(dataDir, { command: "iot migrate", owner: true, store: "exclusive" });
  const refused = await run(["token", "list", "--data-dir", dataDir]);
  expect(refused.code).toBe(1);
  expect(refused.err).toBe(
    `iot token: data dir ${dataDir} is in use by iot migrate (PID ${process.pid}); stop it first or give another --data-dir\n`,
  );
  migrate.release();
});
