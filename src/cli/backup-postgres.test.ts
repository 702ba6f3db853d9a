import { afterAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { runMain as run } from "../../test/support/cli.ts";
import { PG_BACKUP_HINT } from "./backup.ts";

const dirs = tempDirs("iot-cli-backup-pg-");
afterAll(() => dirs.cleanup());

test("iot backup with a PostgreSQL store: refused, pointing to pg_dump, nothing written", async () => {
  const target = join(dirs.make(), "b");
  for (const how of [
    {
      args: ["--database-url", "postgres://iot:pw@127.0.0.1:1/iot"],
      env: {} as Record<string, string>,
    },
    { args: [], env: { IOT_DATABASE_URL: "postgres://iot:pw@127.0.0.1:1/iot" } },
  ]) {
    const r = await run(["backup", target, "--data-dir", dirs.make(), ...how.args], how.env);
    expect(r.code).toBe(2); // a configuration it does not do
    expect(r.err).toBe(`iot backup: ${PG_BACKUP_HINT}\n`);
    expect(r.err).toContain("pg_dump");
    expect(existsSync(target)).toBe(false);
  }
});
