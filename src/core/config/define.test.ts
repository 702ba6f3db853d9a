import { describe, expect, test } from "bun:test";
import { commonOptions, printConfigOption, resolveOptions } from "./common.ts";
import { defineOptions } from "./define.ts";
import { formatConfig, formatHelp, resolveConfig } from "./load.ts";
import { ConfigError } from "./options.ts";
import { parseArgs } from "./parse-args.ts";

const levels = ["low", "high"] as const;
const options = defineOptions(
  {
    host: { type: "string", default: "127.0.0.1", help: "address" },
    httpPort: { type: "int", default: 5000, min: 0, max: 65535, help: "port" },
    partitions: { type: "int", default: 2, min: 1, help: "partitions" },
    level: { type: "string", default: "low", choices: levels, help: "level" },
    brokers: { type: "list", default: [], help: "brokers" },
    open: { type: "bool", default: false, help: "open" },
    secret: { type: "string", default: "", help: "token", secret: true },
    fsync: {
      type: "string",
      default: "always",
      help: "always or ms",
      parse: (raw, flag) => {
        if (raw === "always") return raw;
        if (!/^\d+$/.test(raw)) throw new ConfigError(`${flag}: not ms: '${raw}'`);
        return Number(raw);
      },
    },
    printConfig: printConfigOption,
  },
  (v) => {
    if (v.open && !v.secret) throw new ConfigError("--open needs --secret");
    return { ...v, url: `http://${v.host}:${v.httpPort}` };
  },
);

const read = (argv: string[], env: Record<string, string> = {}) =>
  resolveOptions(options, parseArgs(argv, options.specs, "test").flags, env);

describe("defineOptions: one entry per option", () => {
  test("values are typed by their declaration, and the finish step derives", () => {
    const o = read(["--http-port", "7000", "--level", "high", "--brokers", "a:1,b:2"]);
    const port: number = o.httpPort;
    const level: "low" | "high" = o.level;
    const brokers: string[] = o.brokers;
    const fsync: "always" | number = o.fsync;
    const open: boolean = o.open;
    expect({ port, level, brokers, fsync, open, url: o.url }).toEqual({
      port: 7000,
      level: "high",
      brokers: ["a:1", "b:2"],
      fsync: "always",
      open: false,
      url: "http://127.0.0.1:7000",
    });
    // @ts-expect-error a choice is its union, not any string
    const wide: "low" = o.level;
    expect(String(wide)).toBe("high");
    expect(read([], { IOT_FSYNC: "250" }).fsync).toBe(250);
  });

  test("the declared range is checked, naming the flag", () => {
    expect(() => read(["--http-port", "70000"])).toThrow(
      "--http-port: 70000 is out of range 0..65535",
    );
    expect(() => read(["--partitions", "0"])).toThrow(
      "--partitions: 0 is out of range (must be ≥ 1)",
    );
    expect(() => read([], { IOT_HTTP_PORT: "-1" })).toThrow(ConfigError);
    expect(read(["--http-port", "0"]).httpPort).toBe(0);
  });

  test("parse and finish refuse with their own words", () => {
    expect(() => read(["--fsync", "soon"])).toThrow("--fsync: not ms: 'soon'");
    expect(() => read(["--open"])).toThrow("--open needs --secret");
    expect(read(["--open", "--secret", "s"]).open).toBe(true);
  });

  test("the generated specs give --help and --print-config in declaration order", () => {
    const specs = [...commonOptions.specs, ...options.specs];
    expect(specs.map((s) => s.key)).toEqual([
      "config",
      "logLevel",
      "host",
      "httpPort",
      "partitions",
      "level",
      "brokers",
      "open",
      "secret",
      "fsync",
      "printConfig",
    ]);
    const help = formatHelp("Usage: iot test", specs);
    expect(help).toContain("--level <string>");
    expect(help).toContain("(low|high) [default: low]");
    expect(help).toContain("env IOT_HTTP_PORT");
    expect(help).toContain("port (0..65535) [default: 5000]");
    expect(help).toContain("partitions (≥ 1) [default: 2]");
    const config = resolveConfig(specs, parseArgs(["--secret", "hunter2"], specs, "t").flags, {});
    const printed = formatConfig(specs, config);
    expect(printed).not.toContain("hunter2");
    expect(printed).toMatch(/secret\s+\*{8}\s+\(flag\)/);
  });

  test("a list default is copied, so one run cannot change the next one's default", () => {
    const first = read([]);
    first.brokers.push("x:1");
    expect(read([]).brokers).toEqual([]);
  });
});
