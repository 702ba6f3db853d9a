import { ConfigError, flagName, type OptionSpec } from "./options.ts";

export interface ParsedArgs {
  flags: Map<string, unknown>;
  positionals: string[];
  help: boolean;
}

/**
 * `--name value`, `--name=value`, `--flag`, `--no-flag`. Unknown options are an error naming
 * the option, so a typo never silently falls back to a default.
 */
export function parseArgs(argv: string[], specs: OptionSpec[], command: string): ParsedArgs {
  const byFlag = new Map(specs.map((s) => [flagName(s.key), s]));
  const flags = new Map<string, unknown>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      if (arg.startsWith("-") && arg.length > 1) throw new ConfigError(`unknown option '${arg}'`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    let spec = byFlag.get(name);
    if (!spec && name.startsWith("--no-")) {
      const negated = byFlag.get("--" + name.slice(5));
      if (negated?.type === "bool" && eq < 0) {
        flags.set(negated.key, false);
        continue;
      }
    }
    if (!spec) throw new ConfigError(`unknown option '${name}' for 'iot ${command}'`);
    if (eq >= 0) flags.set(spec.key, arg.slice(eq + 1));
    else if (spec.type === "bool") flags.set(spec.key, true);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new ConfigError(`option '${name}' needs a value`);
      flags.set(spec.key, next);
      i++;
    }
  }
  return { flags, positionals, help };
}
