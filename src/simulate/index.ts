/**
 * `iot simulate`: the demo fleet (rooms, people, bins, coffee devices, a camera) or, with
 * `--rate`, a telemetry load — every message through the same HTTP/MQTT/Kafka paths real
 * clients use. Progress goes to `out` every few seconds; `stop()` returns the final line.
 */
import type { Logger } from "../core/log/index.ts";
import { startBins } from "./bins.ts";
import { startCamera } from "./camera.ts";
import { startCoffee } from "./coffee.ts";
import type { Part, SimContext } from "./context.ts";
import { httpClient } from "./http.ts";
import { startLoad } from "./load/index.ts";
import type { SimulateOptions } from "./options.ts";
import { startPeople } from "./people.ts";
import { createRng } from "./prng.ts";
import { Counters } from "./report.ts";
import { startRooms } from "./rooms.ts";
import { seedOut } from "./seed-topics.ts";

export { simulateOptions, type SimulateOptions } from "./options.ts";

export interface Simulation {
  /** stops everything and returns the final report line */
  stop(): Promise<string>;
}

export async function startSimulation(
  o: SimulateOptions,
  log: Logger,
  out: (line: string) => void,
): Promise<Simulation> {
  return o.rate > 0 ? startLoadMode(o, log, out) : startFleet(o, log, out);
}

async function startLoadMode(o: SimulateOptions, log: Logger, out: (line: string) => void) {
  const load = await startLoad(o, log);
  const timer = setInterval(
    () => out("load " + load.stats.windowLine(Date.now())),
    o.reportEveryMs,
  );
  return {
    async stop() {
      clearInterval(timer);
      const end = Date.now();
      await load.stop();
      return "load " + load.stats.finalLine(end);
    },
  };
}

async function startFleet(o: SimulateOptions, log: Logger, out: (line: string) => void) {
  const counters = new Counters();
  const logged = new Map<string, number>();
  const seed = await seedOut(o, log);
  const ctx: SimContext = {
    o,
    log,
    counters,
    rng: createRng(o.seed),
    http: httpClient(o.http, o.httpToken),
    seed,
    fail(kind, detail) {
      counters.add("errors");
      const n = (logged.get(kind) ?? 0) + 1;
      logged.set(kind, n);
      if (n <= 3)
        log.warn(`${kind} failed${n === 3 ? " (further ones only counted)" : ""}`, { detail });
    },
  };
  const parts: Part[] = [];
  const stopParts = async () => {
    for (const p of parts.splice(0).reverse()) await p.stop();
    await seed.close();
  };
  try {
    if (o.rooms > 0) parts.push(await startRooms(ctx));
    if (o.people > 0) parts.push(await startPeople(ctx));
    if (o.bins > 0) parts.push(await startBins(ctx));
    if (o.coffee > 0) parts.push(await startCoffee(ctx));
    if (o.camera || o.video) parts.push(await startCamera(ctx));
  } catch (e) {
    await stopParts();
    throw e;
  }
  out(`started (seed topics via ${seed.via})`);
  const timer = setInterval(() => out(counters.line()), o.reportEveryMs);
  return {
    async stop() {
      clearInterval(timer);
      await stopParts();
      return "total " + counters.line();
    },
  };
}
