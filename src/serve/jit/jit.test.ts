import { expect, test } from "bun:test";
import { ftlVariable, jitRestartEnv, sameCommand } from "./jit.ts";

test("steady asks for a restart without the FTL; full, or a choice already made, does not", () => {
  expect(jitRestartEnv("steady", { PATH: "/bin" })).toEqual({
    PATH: "/bin",
    [ftlVariable]: "0",
    BUN_JSC_useWarmUpMarkedBlocks: "0",
  });
  expect(jitRestartEnv("full", { PATH: "/bin" })).toBeNull();
  // after the restart (or when the user set it): never a second one, and the user's value stands
  expect(jitRestartEnv("steady", { [ftlVariable]: "0" })).toBeNull();
  expect(jitRestartEnv("steady", { [ftlVariable]: "1" })).toBeNull();
});

test("the same command: a compiled binary's arguments, or bun's flags and the script", () => {
  const argv = ["bun", "/$bunfs/root/iot", "serve", "--jit", "steady"];
  expect(sameCommand({ execPath: "/usr/bin/iot", execArgv: [], argv, standalone: true })).toEqual([
    "/usr/bin/iot",
    "serve",
    "--jit",
    "steady",
  ]);
  const src = ["/bin/bun", "/src/main.ts", "serve"];
  expect(
    sameCommand({ execPath: "/bin/bun", execArgv: ["--smol"], argv: src, standalone: false }),
  ).toEqual(["/bin/bun", "--smol", "/src/main.ts", "serve"]);
});
