import { SQL } from "bun";
import { expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { startPostgres } from "./postgres.ts";

test("a throwaway cluster: a database per call, on loopback, stopped by its PID and removed", async () => {
  const pg = await startPostgres();
  let stopped = false;
  try {
    // the PID held is the postmaster's own (setpriv execs), not a wrapper's
    expect(readFileSync(`/proc/${pg.pid}/comm`, "utf8").trim()).toBe("postgres");
    const a = await pg.createDatabase();
    const b = await pg.createDatabase();
    expect(a).not.toBe(b);
    const client = new SQL(a);
    try {
      const [row] = await client`SELECT current_user AS u, inet_server_addr()::text AS addr`;
      expect(row).toEqual({ u: "iot", addr: "127.0.0.1/32" });
    } finally {
      await client.close();
    }
    expect(existsSync(`${pg.dir}/.s.PGSQL.${pg.port}`)).toBe(true);
    if (process.getuid?.() === 0) expect(statSync(pg.dir).uid).not.toBe(0);
    await pg.stop();
    stopped = true;
    expect(existsSync(`/proc/${pg.pid}`)).toBe(false);
    expect(existsSync(pg.dir)).toBe(false);
  } finally {
    if (!stopped) await pg.stop();
  }
});
