import type { Command } from "./command.ts";

/** Placeholder until the edge half lands: says so plainly instead of pretending to run. */
export const simulate: Command = {
  usage: "Usage: iot simulate [options]",
  options: [],
  async run() {
    process.stderr.write("iot simulate: not in this build yet\n");
    return 1;
  },
};
