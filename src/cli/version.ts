import { commit, version } from "../version.ts";
import { defineOptions } from "../core/config/index.ts";
import { defineCommand } from "./command.ts";

export const versionCommand = defineCommand({
  usage: "Usage: iot version",
  options: defineOptions({}),
  async run() {
    process.stdout.write(
      `iot ${version} (commit ${commit}, ${process.platform}-${process.arch})\n`,
    );
    return 0;
  },
});
