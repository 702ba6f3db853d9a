/** `iot serve` from source with test/memory/heap-probe.ts, and its live heap on demand. */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { waitFor } from "../support/wait.ts";

export interface LiveHeap {
  heapSize: number;
  objectCount: number;
  objectTypeCounts: Record<string, number>;
}

export async function startProbedServe(dataDir: string, args: string[] = []) {
  const serve = await startServeProcess({
    dataDir,
    args,
    command: [
      process.execPath,
      "--preload",
      join(import.meta.dir, "heap-probe.ts"),
      join(import.meta.dir, "../../src/main.ts"),
    ],
  });
  return { serve, liveHeap: () => liveHeap(serve, dataDir) };
}

/** the server's heap right after a full collection */
async function liveHeap(serve: ServeProcess, dataDir: string): Promise<LiveHeap> {
  const file = join(dataDir, "heap-stats.json");
  rmSync(file, { force: true });
  serve.proc.kill("SIGUSR2");
  await waitFor(() => existsSync(file), 20_000, "the heap statistics");
  return JSON.parse(readFileSync(file, "utf8")) as LiveHeap;
}
