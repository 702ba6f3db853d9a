import type { OptionSet } from "../core/config/index.ts";
import type { Logger } from "../core/log/index.ts";

export interface CommandContext<Out> {
  /** the subcommand's options, typed and checked by its declaration */
  options: Out;
  positionals: string[];
  log: Logger;
}

/** A subcommand: its declared options (parsing, `--help`, `--print-config`) and what it does. */
export interface Command<Out = unknown> {
  usage: string;
  options: OptionSet<Out>;
  /**
   * The most arguments (words that are not options) it takes, default none: one more is a usage
   * error, so `iot serve extra` or a value meant for an option that takes none is not ignored.
   */
  maxArguments?: number;
  /**
   * Resolves to the exit code. A method (not a function property), so a `Command<ServeOptions>`
   * stands in main.ts's registry of `Command`s: runCommand hands it what its own options read.
   */
  run(ctx: CommandContext<Out>): Promise<number>;
}

/** Thrown for bad command lines; printed as one line with exit code 2. */
export class UsageError extends Error {}

/** A subcommand whose `run` gets the options its declaration reads, typed. */
export function defineCommand<Out>(command: Command<Out>): Command<Out> {
  return command;
}
