import type { DiskWatch } from "../disk/watch.ts";
import type { Health } from "../health/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { Db } from "../store/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { ListenerCaps } from "./caps.ts";
import type { ServeOptions } from "./options.ts";
import type { TlsFiles } from "./tls.ts";

/** What every part of `iot serve` gets, and where it registers how to stop it. */
export interface ServeContext {
  opts: ServeOptions;
  log: Logger;
  metrics: MetricsRegistry;
  health: Health;
  db: Db;
  /** the store engine: PostgreSQL with --database-url, else the SQLite file (tokens live there) */
  store: StoreEngine;
  /** protected mode: clients must authenticate; `secret` is for iot's own internal clients */
  security: { required: boolean; secret: string };
  /** --tls-cert/--tls-key, read and checked: HTTPS and MQTTS */
  tls: TlsFiles | null;
  /** connection caps per listener, fitted under the open-file limit */
  caps: ListenerCaps;
  /** the data dir's disk: components report refused writes here */
  disk: DiskWatch;
  onStop(name: string, stop: () => Promise<void> | void): void;
}

export const runs = (opts: ServeOptions, ...roles: ServeOptions["role"][]) =>
  opts.role === "all" || roles.includes(opts.role);
