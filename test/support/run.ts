/** Runs an external tool (kcat, python, mosquitto_pub…) with a hard timeout; never hangs a test. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(
  cmd: string[],
  opts: { stdin?: string | Uint8Array; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const proc = Bun.spawn(cmd, {
    stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin as BlobPart]),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...opts.env },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Debian's python3 (with python3-kafka), not whatever python3 is first on PATH. */
export const debianPython = "/usr/bin/python3";

/** Runs a Python snippet with kafka-python; arguments are passed as sys.argv[1:]. */
export function python(script: string, args: string[] = [], timeoutMs = 60_000) {
  return run([debianPython, "-c", script, ...args], { timeoutMs });
}
