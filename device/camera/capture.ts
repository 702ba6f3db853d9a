/**
 * Runs a capture tool to completion and returns its stdout, with a deadline: a camera that hangs
 * (a wedged driver, an RTSP peer that never answers) is killed, and the error carries the tool's
 * own last words from stderr.
 */
import type { Logger } from "../../src/core/log/index.ts";
import { locateTool, tail, type Env } from "../tools/index.ts";

export interface CaptureOptions {
  timeoutMs: number;
  log: Logger;
  /** the environment the tool runs in (its PATH finds the tool); default: this process's */
  env?: Env;
}

export async function captureStdout(cmd: string[], opts: CaptureOptions): Promise<Buffer> {
  const [tool, ...args] = cmd;
  const proc = Bun.spawn([locateTool(tool, opts.env), ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: opts.env,
  });
  opts.log.debug("capture started", { tool, pid: proc.pid });
  let timer: Timer | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`${tool} timed out after ${opts.timeoutMs} ms and was killed`));
    }, opts.timeoutMs);
  });
  const finished = Promise.all([
    new Response(proc.stdout).arrayBuffer(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  try {
    const [stdout, stderr, code] = await Promise.race([finished, deadline]);
    if (code !== 0) throw new Error(`${tool} exited with code ${code}: ${tail(stderr)}`);
    const out = Buffer.from(stdout);
    if (out.length < 4 || out[0] !== 0xff || out[1] !== 0xd8)
      throw new Error(`${tool} did not write a JPEG (${out.length} bytes): ${tail(stderr)}`);
    return out;
  } finally {
    clearTimeout(timer);
    finished.catch(() => {}); // the loser of the race must not become an unhandled rejection
  }
}
