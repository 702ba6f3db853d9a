import { describe, expect, test } from "bun:test";
import { runMain as run } from "../../test/support/cli.ts";

describe("iot CLI", () => {
  test("no command prints help and exits 2; `help` exits 0", async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.out).toContain("Usage: iot <command>");
    const help = await run(["help"]);
    expect(help.code).toBe(0);
    for (const c of ["serve", "device", "simulate", "migrate", "version"]) {
      expect(help.out).toContain(`  ${c} `);
    }
  });

  test("an unknown command is one line naming it, exit 2", async () => {
    const r = await run(["serv"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("iot: unknown command 'serv' (try 'iot help')\n");
  });

  test("an unknown option is one line naming it, exit 2", async () => {
    const r = await run(["serve", "--http-prot", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("iot serve: unknown option '--http-prot' for 'iot serve'\n");
  });

  test("an argument a command does not take is one line naming it, exit 2", async () => {
    // a value given to a flag that takes none is such an argument too
    for (const [argv, extra] of [
      [["serve", "extra"], "extra"],
      [["serve", "--idle-page-out", "maybe"], "maybe"],
      [["backup", "/tmp/a", "/tmp/b"], "/tmp/b"],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`iot ${argv[0]}: unexpected argument '${extra}'\n`);
    }
  });

  test("a bad value from env is one line naming the variable, exit 2", async () => {
    const r = await run(["serve", "--print-config"], { IOT_KAFKA_FSYNC: "sometimes" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("--kafka-fsync");
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  test("`serve --help` lists every option with default and env var", async () => {
    const r = await run(["serve", "--help"]);
    expect(r.code).toBe(0);
    for (const s of [
      "--http-port <int>",
      "[default: 5000]",
      "env IOT_HTTP_PORT",
      "--mqtt-port <int>",
      "[default: 1883]",
      "--kafka-port <int>",
      "[default: 9092]",
      "--data-dir <string>",
      "[default: ./iot-data]",
      "env IOT_DATA_DIR",
      "[default: 127.0.0.1]",
      "--log-level",
    ]) {
      expect(r.out).toContain(s);
    }
  });

  test("`help serve` is the same as `serve --help`", async () => {
    expect((await run(["help", "serve"])).out).toBe((await run(["serve", "--help"])).out);
  });
});
