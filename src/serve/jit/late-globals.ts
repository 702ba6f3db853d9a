/**
 * Globals Bun creates on their first read, which `iot serve` would otherwise first read long
 * after it started: read once before the readings' path is compiled.
 *
 * Creating such a global changes the global object's shape, and code the JIT compiled before
 * assumed the old shape at each of its global reads (`Math`, `JSON`, `Number`...): nearly every
 * function the FTL compiled afterwards left its code at once, 100 times (BadConstantCache), and
 * was compiled again. Measured at 1,000 readings/s over the first 30 s (BUN_JSC_printEachOSRExit):
 * 2,429 and 2,872 such exits, 24 and 26 FTL codes thrown away; 202 and 202 exits, 5 and 4 codes
 * with `Worker` read at start. Each read costs ~0.1 ms and a few KiB, where reading every
 * global (157) would cost ~4 ms and ~3 MB of RSS.
 */
export const lateGlobals = [
  // the WAL checkpoints' worker (src/store/checkpointer.ts), started seconds into a load
  "Worker",
  // the dashboard's first pages: opened 14 s into the same load, 1,927 exits in the 30 s; 604
  // with `isNaN` read at start too
  "isNaN",
] as const;

/** Reads each of `lateGlobals`, so Bun creates them now. */
export function createLateGlobals(global: object = globalThis): void {
  for (const name of lateGlobals) void (global as Record<string, unknown>)[name];
}
