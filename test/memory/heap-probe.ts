/**
 * Preloaded into an `iot serve` under test (`bun --preload test/memory/heap-probe.ts src/main.ts
 * serve …`): on SIGUSR2 it runs a full garbage collection and writes JavaScriptCore's heap
 * statistics — live objects by type — to heap-stats.json in the server's --data-dir.
 */
import { heapStats } from "bun:jsc";
import { writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

const dataDir = process.argv[process.argv.indexOf("--data-dir") + 1];
if (dataDir)
  process.on("SIGUSR2", () => {
    Bun.gc(true);
    const out = join(dataDir, "heap-stats.json");
    writeFileSync(out + ".tmp", JSON.stringify(heapStats()));
    renameSync(out + ".tmp", out); // the test never reads half a file
  });
