import { defineOptions, type BoolDecl, type OptionSet } from "./define.ts";
import { resolveConfig, type Env } from "./load.ts";

/** Options every subcommand accepts, before its own. */
export const commonOptions = defineOptions({
  config: { type: "string", help: "config file (.toml or .json)" },
  logLevel: {
    type: "string",
    default: "warn",
    help: "log verbosity",
    choices: ["debug", "info", "warn", "error", "silent"],
  },
});

/** Declared by a subcommand that offers `--print-config` (the CLI prints and exits). */
export const printConfigOption = {
  type: "bool",
  default: false,
  help: "print the effective configuration and exit",
} as const satisfies BoolDecl;

/** Declared by the long-running commands, serve and device (src/core/memory/page-out.ts). */
export const idlePageOutOption = {
  type: "bool",
  default: true,
  help: "once quiet, give the executable's clean code pages back to the kernel (Linux; a page needed again is read back from the file)",
} as const satisfies BoolDecl;

/** Flags (already parsed), env and config file → a subcommand's typed options. */
export function resolveOptions<Out>(
  options: OptionSet<Out>,
  flags: Map<string, unknown>,
  env: Env = {},
  readFile?: (path: string) => string,
): Out {
  const specs = [...commonOptions.specs, ...options.specs];
  return options.read(resolveConfig(specs, flags, env, readFile).values);
}
