import { expect, test } from "bun:test";
import { runMain as run } from "../../test/support/cli.ts";

test("iot device --help lists its options with their IOT_* variables", async () => {
  const r = await run(["device", "--help"]);
  expect(r.code).toBe(0);
  for (const s of ["--server", "--kafka", "--outbox-max-bytes", "--read-interval", "IOT_TOKEN"])
    expect(r.out).toContain(s);
  expect((await run(["help"])).out).not.toContain("__snapshot"); // internal
});

test("a bad setting is one line naming it, exit 2", async () => {
  const r = await run(["device", "--dht", "12"]);
  expect(r.code).toBe(2);
  expect(r.err).toBe("iot device: --dht: expected 11 or 22, got 12\n");
  const e = await run(["device"], { IOT_READ_INTERVAL: "fast" });
  expect(e.code).toBe(2);
  expect(e.err).toContain("--read-interval");
});
