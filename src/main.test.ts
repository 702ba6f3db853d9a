import { afterEach, expect, spyOn, test } from "bun:test";
import { main } from "./main.ts";

const io = { out: () => {}, err: () => {}, env: {} };
const policy = spyOn(Bun.unsafe, "setJITPolicy");
afterEach(() => policy.mockClear());

test("a command other than serve returns to the normal JIT policy before it runs", async () => {
  expect(await main(["version"], io)).toBe(0);
  expect(policy).toHaveBeenCalledWith(1);
});

test("serve keeps the binary's start-up policy until it listens (src/cli/serve.ts)", async () => {
  expect(await main(["serve", "--help"], io)).toBe(0);
  expect(policy).not.toHaveBeenCalled();
});
