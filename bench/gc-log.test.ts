import { expect, test } from "bun:test";
import { allocatedBetween } from "./gc-log.ts";

// shaped like `BUN_JSC_logGC=1` output of Bun 1.4 (one collection's report may span lines)
const log = `[GC<0x1>: START M 3536kb => FullCollection, a=0kb hf=0.000 … => 1000kb, p=1.2ms END]
GC END!
MARK-BEGIN
[GC<0x1>: START M 9000kb => EdenCollection, a=0kb hf=0.000 mu=0.600 v=0kb
 … => 4000kb, p=2.1ms, cycle 2ms END]
[GC<0x1>: START M 6500kb => EdenCollection, … => 4100kb, p=1ms END]
MARK-END
[GC<0x1>: START M 5100kb => FullCollection, … => 1200kb, p=3ms END]
[GC<0x1>: START M 99999kb => FullCollection, … => 1000kb, p=3ms END]`;

test("the bytes allocated between the marks: each start minus the end before it, the closing collection included", () => {
  // (9000 − 1000) + (6500 − 4000) + (5100 − 4100) kB; the collection after that is not counted
  expect(allocatedBetween(log, "MARK-BEGIN", "MARK-END")).toBe((8000 + 2500 + 1000) * 1024);
});

test("a log without both marks is an error, not a zero", () => {
  expect(() => allocatedBetween(log.replace("MARK-END", ""), "MARK-BEGIN", "MARK-END")).toThrow();
});
