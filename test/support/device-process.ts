import { join } from "node:path";

const root = join(import.meta.dir, "../..");

export interface DeviceProcess {
  proc: ReturnType<typeof Bun.spawn>;
  /** every stderr line so far */
  lines: string[];
  /** Resolves with the first line (from `from` on) matching `re`. */
  waitForLine(re: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** SIGTERM and wait for the exit code */
  stop(): Promise<number>;
}

/**
 * `iot device` in its own process (from source, or `cmd` for a compiled binary), logging at
 * debug so a test can see what it queued (`queued kind=… msgId=… ts=…`).
 */
export function startDeviceProcess(args: string[], cmd?: string[], env?: Record<string, string>) {
  const proc = Bun.spawn(
    [
      ...(cmd ?? [process.execPath, join(root, "src/main.ts")]),
      "device",
      "--log-level",
      "debug",
      ...args,
    ],
    { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } },
  );
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(chunk);
      const parts = buf.split("\n");
      buf = parts.pop()!;
      lines.push(...parts);
      if (process.env.IOT_TEST_VERBOSE) for (const l of parts) console.error(l);
      for (const w of waiters) w();
    }
  })();
  const handle: DeviceProcess = {
    proc,
    lines,
    waitForLine(re, timeoutMs = 30_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.slice(from).find((l) => re.test(l));
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no device log line matching ${re} in ${timeoutMs} ms; last lines:\n${lines.slice(-10).join("\n")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
  return handle;
}

/** The `ts` of every message the device logged as queued, of one kind, in order. */
export function queued(lines: string[], kind: "telemetry" | "image", from = 0): number[] {
  return lines
    .slice(from)
    .filter((l) => l.includes(" queued ") && l.includes(`kind=${kind}`))
    .map((l) => Number(/ ts=(\d+)/.exec(l)![1]));
}
