/**
 * What `--database-url` takes from the URL: the credentials (a role with a password, a wrong
 * one refused) and TLS (`sslmode=require` on a server with TLS: the session is encrypted; on
 * one without: refused rather than sent in the clear).
 */
import { SQL } from "bun";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestCerts } from "../../../test/support/tls.ts";
import { startPostgres, type PostgresCluster } from "../../../test/support/postgres.ts";
import { tempDirs } from "../../../test/support/temp.ts";
import { openPgStore } from "./db.ts";

const dirs = tempDirs("iot-pg-connect-");
let tls: PostgresCluster;
let plain: PostgresCluster;
beforeAll(async () => {
  const certs = await makeTestCerts(dirs.make());
  [tls, plain] = await Promise.all([
    startPostgres({ tls: { certPath: certs.certPath, keyPath: certs.keyPath } }),
    startPostgres(),
  ]);
});
afterAll(async () => {
  await Promise.all([tls?.stop(), plain?.stop()]);
  dirs.cleanup();
});

/** a role that must give its password, owning a fresh database; the URL without credentials */
async function appDatabase(cluster: PostgresCluster) {
  const name = await cluster.createDatabase().then((url) => new URL(url).pathname.slice(1));
  const admin = new SQL(cluster.url(name));
  try {
    await admin.unsafe(`CREATE ROLE app LOGIN PASSWORD 'app-secret'`).catch(() => {});
    await admin.unsafe(`GRANT ALL ON SCHEMA public TO app`);
  } finally {
    await admin.close();
  }
  return (user: string) => `postgres://${user}@127.0.0.1:${cluster.port}/${name}`;
}

test("credentials come from the URL: the right password connects and migrates, a wrong one is refused", async () => {
  const url = await appDatabase(plain);
  const store = await openPgStore(url("app:app-secret"), { pool: 1 });
  try {
    const [row] = await store.client`SELECT current_user AS u`;
    expect(row.u).toBe("app");
  } finally {
    await store.close();
  }
  await expect(openPgStore(url("app:wrong"), { pool: 1 })).rejects.toThrow(/password/);
});

test("sslmode=require: encrypted on a TLS server, refused by one without TLS", async () => {
  const url = await appDatabase(tls);
  const store = await openPgStore(`${url("app:app-secret")}?sslmode=require`, { pool: 1 });
  try {
    const [row] = await store.client`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    expect(row.ssl).toBe(true);
  } finally {
    await store.close();
  }
  // the same server without sslmode: in the clear (so the check above is not always true)
  const clear = new SQL(`${url("app:app-secret")}?sslmode=disable`, { max: 1 });
  try {
    const [row] = await clear`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    expect(row.ssl).toBe(false);
  } finally {
    await clear.close();
  }
  const noTls = await appDatabase(plain);
  await expect(
    openPgStore(`${noTls("app:app-secret")}?sslmode=require`, { pool: 1 }),
  ).rejects.toThrow("Server does not support SSL");
});
