import { readFileSync } from "node:fs";
import {
  coerce,
  ConfigError,
  envName,
  flagName,
  type ConfigValue,
  type OptionSpec,
  type Source,
} from "./options.ts";

export interface ResolvedConfig {
  values: Record<string, ConfigValue>;
  sources: Record<string, Source>;
}

export type Env = Record<string, string | undefined>;

/**
 * Precedence: flags > IOT_* env vars > config file > defaults. This module (with its caller
 * passing `process.env`) is the only place the environment is read.
 */
export function resolveConfig(
  specs: OptionSpec[],
  flags: Map<string, unknown>,
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): ResolvedConfig {
  const configPath = (flags.get("config") ?? env[envName("config")]) as string | undefined;
  const file = configPath ? loadConfigFile(configPath, readFile) : {};
  const known = new Set(specs.map((s) => s.key));
  for (const key of Object.keys(file)) {
    if (!known.has(key)) throw new ConfigError(`${configPath}: unknown setting '${key}'`);
  }
  const values: Record<string, ConfigValue> = {};
  const sources: Record<string, Source> = {};
  for (const spec of specs) {
    const envRaw = env[envName(spec.key)];
    if (flags.has(spec.key)) {
      values[spec.key] = coerce(spec, flags.get(spec.key), flagName(spec.key));
      sources[spec.key] = "flag";
    } else if (envRaw !== undefined && envRaw !== "") {
      values[spec.key] = coerce(spec, envRaw, envName(spec.key));
      sources[spec.key] = "env";
    } else if (file[spec.key] !== undefined) {
      values[spec.key] = coerce(spec, file[spec.key], `${configPath}: ${spec.key}`);
      sources[spec.key] = "file";
    } else {
      values[spec.key] = spec.default;
      sources[spec.key] = "default";
    }
  }
  return { values, sources };
}

/** Keys in the file may be camelCase (`dataDir`) or kebab-case (`data-dir`). */
export function loadConfigFile(
  path: string,
  readFile: (path: string) => string,
): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith(".toml") ? Bun.TOML.parse(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${path}: expected a table of settings`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

/** The effective configuration as text, secrets masked. */
export function formatConfig(specs: OptionSpec[], config: ResolvedConfig): string {
  const lines = specs.map((spec) => {
    const v = config.values[spec.key];
    const shown =
      spec.secret && v !== undefined && v !== ""
        ? "********"
        : v === undefined
          ? ""
          : spec.mask && v !== ""
            ? spec.mask(String(v))
            : String(v);
    return `${spec.key.padEnd(22)} ${shown.padEnd(28)} (${config.sources[spec.key]})`;
  });
  return lines.join("\n");
}

/** An int's declared range, as `--help` shows it. */
function range(s: OptionSpec): string {
  if (s.min !== undefined && s.max !== undefined) return ` (${s.min}..${s.max})`;
  if (s.min !== undefined) return ` (≥ ${s.min})`;
  if (s.max !== undefined) return ` (≤ ${s.max})`;
  return "";
}

/** `--help` text: every option with its default and env var. */
export function formatHelp(usage: string, specs: OptionSpec[]): string {
  const rows = specs.map((s) => {
    const flag = flagName(s.key) + (s.type === "bool" ? "" : " <" + s.type + ">");
    const def = s.default === undefined || s.default === "" ? "" : ` [default: ${s.default}]`;
    const choices = s.choices ? ` (${s.choices.join("|")})` : "";
    return `  ${flag.padEnd(30)} ${s.help}${choices}${range(s)}${def}\n  ${"".padEnd(30)} env ${envName(s.key)}`;
  });
  return `${usage}\n\nOptions:\n${rows.join("\n")}\n  ${"--help".padEnd(30)} show this help\n`;
}
