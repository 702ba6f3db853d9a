import type { Logger } from "../core/log/index.ts";
import type { HttpClient } from "./http.ts";
import type { SimulateOptions } from "./options.ts";
import type { Rng } from "./prng.ts";
import type { Counters } from "./report.ts";
import type { SeedOut } from "./seed-topics.ts";

/** What every part of the simulation gets. */
export interface SimContext {
  o: SimulateOptions;
  log: Logger;
  counters: Counters;
  rng: Rng;
  http: HttpClient;
  seed: SeedOut;
  /** counts a failure and logs the first few of each kind, so a refused stream is not a flood */
  fail(kind: string, detail: string): void;
}

/** A running part: stops sending, then closes its connections. */
export interface Part {
  stop(): Promise<void>;
}
