import { expect, test } from "bun:test";
import { parseWrk } from "./wrk.ts";

test("parseWrk reads the script's WRKJSON line", () => {
  const out = [
    "Running 1s test @ http://127.0.0.1:1/",
    'WRKJSON {"requests":2000,"duration_us":2000000,"non2xx":1,"connect_errors":0,"read_errors":2,"write_errors":0,"timeouts":3,"p50_us":1500,"p90_us":4000,"p99_us":12000,"max_us":30000}',
    "",
  ].join("\n");
  expect(parseWrk(out)).toEqual({
    requests: 2000,
    seconds: 2,
    requestsPerSecond: 1000,
    errors: 6,
    p50Ms: 1.5,
    p90Ms: 4,
    p99Ms: 12,
    maxMs: 30,
  });
  expect(() => parseWrk("nothing")).toThrow(/WRKJSON/);
});
