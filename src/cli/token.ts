import { join } from "node:path";
import { createToken, listTokens, revokeToken, roles, tokenKinds } from "../auth/index.ts";
import { ConfigError, defineOptions } from "../core/config/index.ts";
import { openDataDir } from "../core/datadir/index.ts";
import { databaseUrlOption, dataDirOption } from "../serve/options.ts";
import { sqliteEngine, type StoreEngine } from "../store/engine/index.ts";
import { openStore } from "../store/index.ts";
import type { Logger } from "../core/log/index.ts";
import { defineCommand } from "./command.ts";

const tokenOptions = defineOptions({
  dataDir: dataDirOption,
  databaseUrl: {
    ...databaseUrlOption,
    help: "the tokens are in PostgreSQL (the URL `iot serve --database-url` uses)",
  },
  kind: { type: "string", default: "device", help: "what the token is for", choices: tokenKinds },
  subject: { type: "string", default: "", help: "device id / Kafka user / person it belongs to" },
  // not "role": IOT_ROLE is serve's --role, and may be set where tokens are made
  access: {
    type: "string",
    default: "device",
    help: "its role on MQTT/Kafka: device (its own data), reader (read all), admin (all)",
    choices: roles,
  },
});

export const token = defineCommand({
  usage:
    "Usage: iot token create --kind device|http|kafka --subject <id> [--access device|reader|admin]\n       iot token list\n       iot token revoke <id>\n\nTokens for protected mode (a server bound to a non-loopback address). --kind is the\nlistener (device = MQTT); --access what an MQTT or Kafka login may do: device = publish and\nread its own data only, reader = read everything and write nothing, admin = everything.\nSafe beside a running iot serve on the same data dir (SQLite WAL); revoking a token\ncloses its live MQTT and Kafka sessions within seconds.",
  maxArguments: 2,
  options: tokenOptions,
  async run({ options, positionals, log }) {
    process.umask(0o077);
    const { store, close } = await openTokenStore(options, log);
    try {
      const [action, arg] = positionals;
      if (action === "create") {
        const { kind, subject, access } = options;
        if (!subject) throw new ConfigError("token create needs --subject");
        let t: { id: string; token: string };
        try {
          t = await createToken(store, kind, subject, access);
        } catch (e) {
          if (e instanceof RangeError)
            throw new ConfigError(`cannot create the token: ${e.message}`);
          throw e;
        }
        process.stdout.write(`${t.token}\n`);
        process.stderr.write(
          `token ${t.id} (${kind} for ${subject}, access ${access}) created; it is shown only once\n`,
        );
      } else if (action === "list") {
        for (const t of await listTokens(store)) {
          process.stdout.write(
            `${t.id}  ${t.kind.padEnd(7)} ${t.subject}  ${t.role}  ${new Date(t.createdAt).toISOString()}\n`,
          );
        }
      } else if (action === "revoke" && arg) {
        if (!(await revokeToken(store, arg))) throw new ConfigError(`no token ${arg}`);
        process.stdout.write(`revoked ${arg}\n`);
      } else throw new ConfigError("expected: create, list or revoke <id>");
      return 0;
    } finally {
      await close();
    }
  },
});

/** PostgreSQL with --database-url (no data dir needed), else the SQLite file in the data dir. */
async function openTokenStore(
  options: { dataDir: string; databaseUrl: string },
  log: Logger,
): Promise<{ store: StoreEngine; close: () => Promise<void> }> {
  if (options.databaseUrl) {
    const { openPostgresEngine } = await import("../store/engine/open-postgres.ts");
    const store = await openPostgresEngine(options.databaseUrl, { pool: 1 }).catch((e) => {
      throw new ConfigError(
        `${databaseUrlOption.mask(options.databaseUrl)}: ${(e as Error).message}`,
      );
    });
    return { store, close: () => store.close() };
  }
  // beside serve (shared store lock), never during iot migrate (it holds that lock exclusively)
  const dataDir = openDataDir(
    options.dataDir,
    { command: "iot token", owner: false, store: "shared" },
    log,
  );
  const sqlite = openStore(join(dataDir.path, "iot.db"));
  return {
    store: sqliteEngine(sqlite.db),
    close: async () => {
      sqlite.close();
      dataDir.release();
    },
  };
}
