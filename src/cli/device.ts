import type { Command } from "./command.ts";

/** Placeholder until the edge half lands: says so plainly instead of pretending to run. */
export const device: Command = {
  usage: "Usage: iot device [options]",
  options: [],
  async run() {
    process.stderr.write("iot device: not in this build yet\n");
    return 1;
  },
};
