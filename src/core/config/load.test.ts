import { describe, expect, test } from "bun:test";
import { formatConfig, formatHelp, resolveConfig } from "./load.ts";
import { ConfigError, type OptionSpec } from "./options.ts";
import { parseArgs } from "./parse-args.ts";

const specs: OptionSpec[] = [
  { key: "config", type: "string", default: undefined, help: "file" },
  { key: "httpPort", type: "int", default: 5000, help: "port" },
  { key: "dataDir", type: "string", default: "./iot-data", help: "dir" },
  { key: "insecure", type: "bool", default: false, help: "open" },
  { key: "kafkaBrokers", type: "list", default: [], help: "brokers" },
  { key: "token", type: "string", default: "", help: "secret", secret: true },
  { key: "level", type: "string", default: "warn", help: "lvl", choices: ["warn", "info"] },
];

const files: Record<string, string> = {
  "iot.toml": 'http-port = 7000\ndata_dir = "/var/iot"\nkafkaBrokers = ["a:1", "b:2"]\n',
  "iot.json": '{"httpPort": 7100, "insecure": true}',
  "bad.json": "{nope",
  "unknown.json": '{"colour": "red"}',
};
const readFile = (p: string) => {
  if (!(p in files)) throw new Error("ENOENT");
  return files[p]!;
};
const resolve = (argv: string[], env: Record<string, string> = {}) =>
  resolveConfig(specs, parseArgs(argv, specs, "serve").flags, env, readFile);

describe("configuration precedence: flags > env > file > defaults", () => {
  test("defaults when nothing is given", () => {
    const c = resolve([]);
    expect(c.values).toMatchObject({ httpPort: 5000, dataDir: "./iot-data", insecure: false });
    expect(c.sources.httpPort).toBe("default");
  });

  test("a TOML file beats defaults, in kebab, snake or camel case", () => {
    const c = resolve(["--config", "iot.toml"]);
    expect(c.values).toMatchObject({ httpPort: 7000, dataDir: "/var/iot" });
    expect(c.values.kafkaBrokers).toEqual(["a:1", "b:2"]);
    expect(c.sources.httpPort).toBe("file");
  });

  test("env beats the file, and the file can be named by env", () => {
    const c = resolve([], { IOT_CONFIG: "iot.json", IOT_HTTP_PORT: "7200" });
    expect(c.values.httpPort).toBe(7200);
    expect(c.sources.httpPort).toBe("env");
    expect(c.values.insecure).toBe(true);
  });

  test("flags beat everything", () => {
    const c = resolve(["--config=iot.json", "--http-port", "7300", "--no-insecure"], {
      IOT_HTTP_PORT: "7200",
    });
    expect(c.values.httpPort).toBe(7300);
    expect(c.values.insecure).toBe(false);
    expect(c.sources.insecure).toBe("flag");
  });

  test("lists split on commas from flags and env", () => {
    expect(resolve(["--kafka-brokers", "x:1, y:2"]).values.kafkaBrokers).toEqual(["x:1", "y:2"]);
    expect(resolve([], { IOT_KAFKA_BROKERS: "z:3" }).values.kafkaBrokers).toEqual(["z:3"]);
  });
});

describe("configuration errors name what is wrong", () => {
  const fails = (argv: string[], env: Record<string, string>, msg: RegExp) => {
    expect(() => resolve(argv, env)).toThrow(ConfigError);
    expect(() => resolve(argv, env)).toThrow(msg);
  };
  test("unknown option", () => fails(["--htp-port", "1"], {}, /unknown option '--htp-port'/));
  test("missing value", () => fails(["--http-port"], {}, /needs a value/));
  test("bad integer from env", () => fails([], { IOT_HTTP_PORT: "80a" }, /IOT_HTTP_PORT.*80a/));
  test("bad choice", () => fails(["--level", "loud"], {}, /'loud' is not one of warn, info/));
  test("bad boolean", () => fails(["--insecure=maybe"], {}, /true or false/));
  test("unreadable file", () => fails(["--config", "missing.toml"], {}, /cannot read/));
  test("unparsable file", () => fails(["--config", "bad.json"], {}, /bad.json/));
  test("unknown key in file", () =>
    fails(["--config", "unknown.json"], {}, /unknown setting 'colour'/));
  test("stray short option", () => fails(["-x"], {}, /unknown option '-x'/));
});

describe("printing", () => {
  test("--print-config masks secrets and shows sources", () => {
    const text = formatConfig(specs, resolve(["--token", "s3cret"]));
    expect(text).not.toContain("s3cret");
    expect(text).toMatch(/token\s+\*{8}\s+\(flag\)/);
    expect(text).toMatch(/httpPort\s+5000\s+\(default\)/);
  });

  test("--help lists every option with its default and env var", () => {
    const text = formatHelp("Usage: iot serve", specs);
    for (const s of [
      "--http-port <int>",
      "[default: 5000]",
      "env IOT_HTTP_PORT",
      "env IOT_DATA_DIR",
    ]) {
      expect(text).toContain(s);
    }
  });
});
