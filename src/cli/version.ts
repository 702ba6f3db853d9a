import { commit, version } from "../version.ts";
import type { Command } from "./command.ts";

export const versionCommand: Command = {
  usage: "Usage: iot version",
  options: [],
  async run() {
    process.stdout.write(
      `iot ${version} (commit ${commit}, ${process.platform}-${process.arch})\n`,
    );
    return 0;
  },
};
