import { simulateOptions, startSimulation } from "../simulate/index.ts";
import { defineCommand } from "./command.ts";

export const simulate = defineCommand({
  usage:
    "Usage: iot simulate [options]\n\nA fleet of virtual rooms, people, bins, coffee devices and a camera against iot serve\n(or, with --rate, a telemetry load), through the same HTTP/MQTT/Kafka paths real clients use.",
  options: simulateOptions,
  async run({ options: opts, log }) {
    const out = (line: string) => process.stdout.write(`iot simulate: ${line}\n`);
    let sim;
    try {
      sim = await startSimulation(opts, log, out);
    } catch (e) {
      process.stderr.write(`iot simulate: cannot start: ${(e as Error).message}\n`);
      return 1;
    }
    const why = await stopSignal(opts.durationMs);
    log.info("stopping", { why });
    out(await sim.stop());
    return 0;
  },
});

/** The duration passing (unless 0) or SIGINT/SIGTERM, whichever comes first. */
function stopSignal(durationMs: number): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(why);
    };
    const onSignal = (sig: NodeJS.Signals) => done(sig);
    const timer = durationMs > 0 ? setTimeout(() => done("duration"), durationMs) : undefined;
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
