import { expect, test } from "bun:test";
import { parseArgs, resolveOptions } from "../core/config/index.ts";
import { changeFeedOn } from "./changes.ts";
import { serveOptions } from "./options.ts";

const on = (argv: string[], env: Record<string, string> = {}) =>
  changeFeedOn(
    resolveOptions(serveOptions, parseArgs(argv, serveOptions.specs, "serve").flags, env),
  );

test("--change-feed auto: on wherever another iot process may be, off for one alone", () => {
  expect(on([])).toBe(false); // --role all on its own broker
  for (const role of ["brokers", "collector", "consumers"]) expect(on(["--role", role])).toBe(true);
  expect(on(["--kafka-brokers", "k1:9092"])).toBe(true); // a cluster shared with others
  expect(on(["--change-feed", "on"])).toBe(true);
  expect(on(["--role", "collector", "--change-feed", "off"])).toBe(false);
  expect(on([], { IOT_CHANGE_FEED: "on" })).toBe(true);
  expect(() => on(["--change-feed", "maybe"])).toThrow("--change-feed");
});
