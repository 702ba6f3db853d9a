import { SQL } from "bun";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "../../test/support/postgres.ts";
import { migrations } from "../store/pg/migrations.generated.ts";

const main = join(import.meta.dir, "../main.ts");
let pg: PostgresCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(() => pg?.stop());

async function iot(args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawn([process.execPath, main, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...env },
  });
  const [out, err, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  return { out, err, code };
}

test("iot migrate --database-url applies the PostgreSQL migrations, then is up to date", async () => {
  const url = await pg.createDatabase();
  const first = await iot(["migrate", "--database-url", url]);
  expect(first.err).toBe("");
  expect(first.out).toBe(`applied ${migrations.map((m) => m.tag).join(", ")} to ${url}\n`);
  expect(first.code).toBe(0);
  const client = new SQL(url);
  try {
    const [row] = await client`SELECT count(*)::int AS n FROM iot_migrations`;
    expect(row.n).toBe(migrations.length);
    const [readings] = await client`SELECT to_regclass('public.readings')::text AS t`;
    expect(readings.t).toBe("readings");
  } finally {
    await client.close();
  }
  // the env variable does the same; nothing left to apply
  const again = await iot(["migrate"], { IOT_DATABASE_URL: url });
  expect(again.out).toBe(`${url} is up to date\n`);
  expect(again.code).toBe(0);
});

test("iot migrate --database-url refuses what is not a postgres:// URL, and an unreachable server", async () => {
  const bad = await iot(["migrate", "--database-url", "mysql://x@127.0.0.1/db"]);
  expect(bad.code).not.toBe(0);
  expect(bad.err).toContain("expected postgres://");
  const down = await iot([
    "migrate",
    "--database-url",
    `postgres://iot:secret-pw@127.0.0.1:${pg.port + 1}/nowhere`,
  ]);
  expect(down.code).toBe(1);
  expect(down.err).toBe(
    `iot migrate: postgres://iot:***@127.0.0.1:${pg.port + 1}/nowhere: Failed to connect\n`,
  );
});
