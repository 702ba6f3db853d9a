import { commonOptions, formatConfig } from "../config/index.ts";
import { serveOptions, startServe, toServeOptions } from "../serve/index.ts";
import type { Command } from "./command.ts";

export const serve: Command = {
  usage: "Usage: iot serve [options]\n\nRuns the collector, brokers, consumers and dashboard.",
  options: serveOptions,
  async run({ config, sources, log }) {
    const opts = toServeOptions(config);
    if (config.printConfig) {
      const specs = [...commonOptions, ...serveOptions];
      process.stdout.write(formatConfig(specs, { values: config, sources }) + "\n");
      return 0;
    }
    const running = await startServe(opts, log);
    process.stdout.write(`iot serve: dashboard ${running.urls.http}/  (Ctrl-C to stop)\n`);
    await waitForSignal();
    log.info("shutting down");
    await running.stop();
    return 0;
  },
};

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
