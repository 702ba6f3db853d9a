import type { ConfigValue, OptionSpec, Source } from "../core/config/index.ts";
import type { Logger } from "../core/log/index.ts";

export interface CommandContext {
  config: Record<string, ConfigValue>;
  /** where each value came from, for `--print-config` */
  sources: Record<string, Source>;
  positionals: string[];
  log: Logger;
}

/** A subcommand: its options (for parsing, `--help` and `--print-config`) and what it does. */
export interface Command {
  usage: string;
  options: OptionSpec[];
  /** Resolves to the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Thrown for bad command lines; printed as one line with exit code 2. */
export class UsageError extends Error {}
