import { applyJitMode } from "../serve/jit/jit.ts";
import { createLateGlobals } from "../serve/jit/late-globals.ts";
import { serveOptions } from "../serve/options.ts";
import { defineCommand } from "./command.ts";

export const serve = defineCommand({
  usage: "Usage: iot serve [options]\n\nRuns the collector, brokers, consumers and dashboard.",
  options: serveOptions,
  async run({ options: opts, log }) {
    // first, before serve's modules load: a restart with other JIT settings costs least here
    applyJitMode(opts.jit, (why) => log.warn("--jit steady not applied", { why }));
    const { startServe } = await import("../serve/start.ts");
    // Everything serve writes (database, Kafka logs, spool, images, lock) is its user's alone.
    process.umask(0o077);
    // A library's stray promise (aedes 2.0.0-beta.1 rejects on a PUBREL for an unknown id) must
    // not take the whole server down: log it and keep serving.
    process.on("unhandledRejection", (err) => log.error("unhandled rejection", { err }));
    // listen for signals before the dashboard line: a SIGTERM right after it is ours to handle
    const stopAsked = waitForSignal();
    let running;
    try {
      running = await startServe(opts, log);
    } catch (e) {
      process.stderr.write(`iot serve: cannot start: ${startError(e)}\n`);
      return 1;
    }
    // before any of the readings' path is compiled (see late-globals.ts)
    createLateGlobals();
    // start-up is over: the normal JIT policy (the binary starts with a reluctant one, see
    // scripts/compile.ts), so the readings' path is compiled as soon as it is hot. A reluctant
    // one kept for the steady state saves nothing: measured at 1,000 readings/s, scale 1, 4 and
    // 16 made 148, 150 and 164 FTL compiles in the first 30 s (most of the JIT's time); only
    // the DFG's came later, the code meanwhile running in the slower tiers
    Bun.unsafe.setJITPolicy(1);
    process.stdout.write(`iot serve: dashboard ${running.urls.http}/  (Ctrl-C to stop)\n`);
    await stopAsked;
    log.info("shutting down");
    await running.stop();
    return 0;
  },
});

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(sig);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/** One line a person can act on, for the failures that happen at start-up. */
export function startError(e: unknown): string {
  const err = e as { code?: string; address?: string; port?: number; message?: string };
  if (err.code === "EADDRINUSE") {
    return `${err.address ?? "address"}:${err.port ?? "?"} is already in use (another iot or broker running?); pick another with --http-port, --mqtt-port, --mqtts-port or --kafka-port`;
  }
  if (err.code === "EACCES")
    return `not allowed to listen on ${err.address ?? ""}:${err.port ?? ""} (ports below 1024 need privileges)`;
  return err.message ?? String(e);
}
