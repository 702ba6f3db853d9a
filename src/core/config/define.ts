/**
 * One typed declaration per subcommand: each entry is an option's flag, `IOT_*` variable and
 * config-file key (all from its name), its default, help, checks and TypeScript type. `--help`,
 * `--print-config` and parsing read the generated specs; the program reads `read(values)`.
 *
 *   httpPort: { type: "int", default: 5000, min: 0, max: 65535, help: "HTTP port" },
 *     → --http-port, IOT_HTTP_PORT, `httpPort`/`http-port` in the file, a number in 0..65535
 *   role: { type: "string", default: "all", choices: roles, help: "…" }  → the union of roles
 *   kafkaFsync: { type: "string", default: "always", help: "…", parse: (raw, flag) => … }
 *     → whatever `parse` returns; it throws a ConfigError naming `flag` to refuse a value
 */
import { ConfigError, flagName, type ConfigValue, type OptionSpec } from "./options.ts";

interface Described {
  help: string;
  /** masked by --print-config */
  secret?: boolean;
}

export interface StringDecl extends Described {
  type: "string";
  /** none: the value is `undefined` until set */
  default?: string;
  choices?: readonly string[];
  /** Checks and converts the value; throw a ConfigError naming `flag` to refuse it. */
  parse?: (raw: string, flag: string) => unknown;
  /** how --print-config shows it, when secrets sit inside the value */
  mask?: (value: string) => string;
}

export interface IntDecl extends Described {
  type: "int";
  default: number;
  min?: number;
  max?: number;
  parse?: (raw: number, flag: string) => unknown;
}

export interface BoolDecl extends Described {
  type: "bool";
  default: boolean;
}

export interface ListDecl extends Described {
  type: "list";
  default: readonly string[];
  parse?: (raw: string[], flag: string) => unknown;
}

export type OptionDecl = StringDecl | IntDecl | BoolDecl | ListDecl;
export type OptionDecls = Record<string, OptionDecl>;

/** The value an option has after its type's coercion, before `parse`. */
type Coerced<D> = D extends { type: "int" }
  ? number
  : D extends { type: "bool" }
    ? boolean
    : D extends { type: "list" }
      ? string[]
      : D extends { choices: readonly (infer C)[] }
        ? C
        : D extends { default: string }
          ? string
          : string | undefined;

export type OptionValue<D> = D extends { parse: (...args: never[]) => infer R } ? R : Coerced<D>;
export type OptionValues<T extends OptionDecls> = { -readonly [K in keyof T]: OptionValue<T[K]> };

/** A subcommand's options: the specs for parsing and printing, and the typed read. */
export interface OptionSet<Out> {
  specs: OptionSpec[];
  /** Resolved values → the program's typed options; a bad value throws a ConfigError. */
  read(values: Record<string, ConfigValue>): Out;
}

export function defineOptions<const T extends OptionDecls>(
  decls: T,
): OptionSet<OptionValues<T>> & { decls: T };
export function defineOptions<const T extends OptionDecls, Out>(
  decls: T,
  /** cross-field checks and derived values, once every option has been read */
  finish: (values: OptionValues<T>) => Out,
): OptionSet<Out> & { decls: T };
export function defineOptions<const T extends OptionDecls, Out>(
  decls: T,
  finish?: (values: OptionValues<T>) => Out,
) {
  const specs: OptionSpec[] = Object.entries(decls).map(([key, d]) => ({
    key,
    type: d.type,
    default: d.type === "list" ? [...d.default] : d.default,
    help: d.help,
    ...(d.secret ? { secret: true } : {}),
    ...(d.type === "string" && d.choices ? { choices: d.choices } : {}),
    ...(d.type === "string" && d.mask ? { mask: d.mask } : {}),
    ...(d.type === "int" ? { min: d.min, max: d.max } : {}),
  }));
  const read = (values: Record<string, ConfigValue>) => {
    const out: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(decls)) out[key] = readOne(d, values[key], flagName(key));
    // the one cast: each entry was read by its own declaration just above
    const typed = out as OptionValues<T>;
    return finish ? finish(typed) : typed;
  };
  return { decls, specs, read };
}

function readOne(d: OptionDecl, raw: ConfigValue, flag: string): unknown {
  switch (d.type) {
    case "string":
      return d.parse ? d.parse(String(raw ?? ""), flag) : raw;
    case "int": {
      const n = Number(raw);
      checkRange(n, d.min, d.max, flag);
      return d.parse ? d.parse(n, flag) : n;
    }
    case "bool":
      return raw === true;
    case "list": {
      // a copy: the default array is shared by every read
      const list = Array.isArray(raw) ? [...raw] : [];
      return d.parse ? d.parse(list, flag) : list;
    }
  }
}

function checkRange(n: number, min: number | undefined, max: number | undefined, flag: string) {
  if ((min === undefined || n >= min) && (max === undefined || n <= max)) return;
  const range =
    min !== undefined && max !== undefined
      ? `${min}..${max}`
      : min !== undefined
        ? `(must be ≥ ${min})`
        : `(must be ≤ ${max})`;
  throw new ConfigError(`${flag}: ${n} is out of range ${range}`);
}
