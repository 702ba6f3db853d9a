/**
 * Measuring disk use (src/store/usage.ts reads every page) in a child process of this same
 * program, `iot __usage <db>`, so the server's event loop — and with it ingest — never waits
 * for it. SQLite's WAL lets the child read beside the writers.
 */
import { join } from "node:path";
import { diskUsageOfFile, type DiskUsage } from "../store/usage.ts";

export const usageCommand = "__usage";

/** How to run this program again: the compiled binary itself, or bun with the entry script. */
function self(): string[] {
  const compiled = import.meta.dir.startsWith("/$bunfs");
  return compiled ? [process.execPath] : [process.execPath, join(import.meta.dir, "../main.ts")];
}

export async function measureInChild(dbPath: string): Promise<DiskUsage> {
  const proc = Bun.spawn([...self(), usageCommand, dbPath], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`iot ${usageCommand} exited ${code}: ${err.trim()}`);
  return JSON.parse(out) as DiskUsage;
}

/** The child's side: one JSON line on stdout. */
export function usageMain(args: string[]): number {
  if (args.length !== 1) {
    process.stderr.write(`usage: iot ${usageCommand} <database file>\n`);
    return 2;
  }
  process.stdout.write(JSON.stringify(diskUsageOfFile(args[0]!)) + "\n");
  return 0;
}
