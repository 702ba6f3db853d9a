/**
 * Option specs: the untyped form that parsing, `--help` and `--print-config` read. Subcommands
 * do not write these: `defineOptions` (define.ts) generates them from one typed declaration.
 */
export type OptionType = "string" | "int" | "bool" | "list";

export interface OptionSpec {
  /** camelCase key in the resolved config */
  key: string;
  type: OptionType;
  default: string | number | boolean | string[] | undefined;
  help: string;
  /** masked by --print-config */
  secret?: boolean;
  /** how --print-config shows a value that holds secrets inside it (a table) */
  mask?: (value: string) => string;
  choices?: readonly string[];
  /** an int's declared range, shown by --help */
  min?: number;
  max?: number;
}

export type ConfigValue = string | number | boolean | string[] | undefined;
export type Source = "flag" | "env" | "file" | "default";

/** `dataDir` → `--data-dir` */
export function flagName(key: string): string {
  return "--" + key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/** `dataDir` → `IOT_DATA_DIR` */
export function envName(key: string): string {
  return "IOT_" + key.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();
}

export class ConfigError extends Error {}

/** Converts a raw string (flag or env) to the option's type, or throws a ConfigError. */
export function coerce(spec: OptionSpec, raw: unknown, origin: string): ConfigValue {
  let value: ConfigValue;
  switch (spec.type) {
    case "string":
      // a table in the config file (`[notify]`) reaches its option as JSON text
      value = typeof raw === "object" && raw !== null ? JSON.stringify(raw) : String(raw);
      break;
    case "int": {
      const n = typeof raw === "number" ? raw : Number(String(raw).trim());
      if (!Number.isInteger(n))
        throw new ConfigError(`${origin}: expected an integer, got '${raw}'`);
      value = n;
      break;
    }
    case "bool": {
      if (typeof raw === "boolean") value = raw;
      else if (/^(1|true|yes|on)$/i.test(String(raw))) value = true;
      else if (/^(0|false|no|off)$/i.test(String(raw))) value = false;
      else throw new ConfigError(`${origin}: expected true or false, got '${raw}'`);
      break;
    }
    case "list":
      value = Array.isArray(raw)
        ? raw.map(String)
        : String(raw)
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
      break;
  }
  if (spec.choices && typeof value === "string" && !spec.choices.includes(value)) {
    throw new ConfigError(`${origin}: '${value}' is not one of ${spec.choices.join(", ")}`);
  }
  return value;
}
