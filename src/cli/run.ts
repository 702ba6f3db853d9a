import {
  commonOptions,
  ConfigError,
  parseArgs,
  resolveConfig,
  formatConfig,
  formatHelp,
  type Env,
} from "../core/config/index.ts";
import { DataDirError } from "../core/datadir/index.ts";
import { createLogger } from "../core/log/index.ts";
import { UsageError, type Command } from "./command.ts";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Env;
}

/** Parses argv for one subcommand and runs it; usage and config errors exit 2. */
export async function runCommand<Out>(name: string, command: Command<Out>, argv: string[], io: Io) {
  const specs = [...commonOptions.specs, ...command.options.specs];
  try {
    const parsed = parseArgs(argv, specs, name);
    if (parsed.help) {
      io.out(formatHelp(command.usage, specs));
      return 0;
    }
    const extra = parsed.positionals[command.maxArguments ?? 0];
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    const config = resolveConfig(specs, parsed.flags, io.env);
    const log = createLogger(commonOptions.read(config.values).logLevel, name);
    const options = command.options.read(config.values);
    // checked first, so a bad value is refused even here (see printConfigOption)
    if (config.values.printConfig === true) {
      io.out(formatConfig(specs, config) + "\n");
      return 0;
    }
    return await command.run({ options, positionals: parsed.positionals, log });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      io.err(`iot ${name}: ${e.message}\n`);
      return 2;
    }
    // a data dir in use, unwritable or not a directory: one line, not a stack trace
    if (e instanceof DataDirError) {
      io.err(`iot ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
