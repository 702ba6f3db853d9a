import { processHooks, startIdleShrink } from "../core/memory/idle-shrink.ts";
import { pageOutWhenIdle } from "../core/memory/page-out.ts";
import { defineCommand } from "./command.ts";
import { deviceOptions, startDevice } from "../../device/index.ts";

export const device = defineCommand({
  usage:
    "Usage: iot device [options]\n\nRuns on a Raspberry Pi: DHT readings, camera snapshots and video to iot serve,\nthrough an on-disk outbox (nothing written is lost while the server is away).",
  options: deviceOptions,
  async run({ options: opts, log }) {
    // the outbox and state are the device user's alone
    process.umask(0o077);
    // a library's stray promise must not take the agent down: log it and go on
    process.on("unhandledRejection", (err) => log.error("unhandled rejection", { err }));
    // listen for signals before saying "running": a SIGTERM right after it must be ours to handle
    const stopAsked = new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    let running;
    try {
      running = await startDevice(opts, log);
    } catch (e) {
      process.stderr.write(`iot device: cannot start: ${(e as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`iot device: ${opts.id} running (Ctrl-C to stop)\n`);
    // once quiet, start-up's compiled code and heap go back to the Pi, and the executable's
    // clean code pages after them (src/core/memory)
    const shrink = startIdleShrink(undefined, undefined, {
      ...processHooks,
      pageOut: opts.idlePageOut ? pageOutWhenIdle(log) : undefined,
    });
    await stopAsked;
    shrink.stop();
    log.info("shutting down");
    await running.stop();
    return 0;
  },
});
