/** Runs Debian's wrk with a script from bench/peers/ and reads the line its `done` prints. */
import { join } from "node:path";
import { requireTools, root, track } from "./lib.ts";

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** responses that were not 2xx/3xx, and socket errors and timeouts */
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface WrkJson {
  requests: number;
  duration_us: number;
  non2xx: number;
  connect_errors: number;
  read_errors: number;
  write_errors: number;
  timeouts: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  max_us: number;
}

/** The `WRKJSON {…}` line of the script's output, as figures. */
export function parseWrk(stdout: string): WrkResult {
  const line = stdout.split("\n").find((l) => l.startsWith("WRKJSON "));
  if (!line) throw new Error(`wrk printed no WRKJSON line:\n${stdout}`);
  const j = JSON.parse(line.slice(8)) as WrkJson;
  const seconds = j.duration_us / 1e6;
  return {
    requests: j.requests,
    seconds,
    requestsPerSecond: j.requests / seconds,
    errors: j.non2xx + j.connect_errors + j.read_errors + j.write_errors + j.timeouts,
    p50Ms: j.p50_us / 1000,
    p90Ms: j.p90_us / 1000,
    p99Ms: j.p99_us / 1000,
    maxMs: j.max_us / 1000,
  };
}

export async function wrk(opts: {
  url: string;
  script: string;
  seconds: number;
  connections: number;
  threads: number;
}): Promise<WrkResult> {
  requireTools({ wrk: "wrk" });
  const proc = Bun.spawn(
    [
      "wrk",
      `-t${opts.threads}`,
      `-c${opts.connections}`,
      `-d${opts.seconds}s`,
      "--timeout",
      "5s",
      "-s",
      join(root, "bench/peers", opts.script),
      opts.url,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const untrack = track(proc);
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  untrack();
  if (code !== 0) throw new Error(`wrk exited ${code}: ${err}`);
  return parseWrk(out);
}
