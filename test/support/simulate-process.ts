import { join } from "node:path";
import type { ServeProcess } from "./serve-process.ts";

const main = join(import.meta.dir, "../../src/main.ts");

export interface SimulateProcess {
  proc: ReturnType<typeof Bun.spawn>;
  /** every stdout line so far */
  lines: string[];
  /** stderr so far */
  stderr(): string;
  /** SIGTERM (unless it already exited) and wait for the exit code */
  stop(): Promise<number>;
}

/** `iot simulate` from source in its own process, pointed at a test's `iot serve`. */
export function startSimulateProcess(serve: ServeProcess, args: string[]): SimulateProcess {
  const proc = Bun.spawn(
    [
      process.execPath,
      main,
      "simulate",
      "--http",
      `http://127.0.0.1:${serve.httpPort}`,
      "--mqtt",
      `mqtt://127.0.0.1:${serve.mqttPort}`,
      "--kafka",
      serve.kafkaAddress,
      ...args,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const lines: string[] = [];
  let err = "";
  let buf = "";
  void drain(proc.stdout as ReadableStream<Uint8Array>, (text) => {
    const parts = (buf + text).split("\n");
    buf = parts.pop()!;
    lines.push(...parts);
  });
  void drain(proc.stderr as ReadableStream<Uint8Array>, (text) => (err += text));
  return {
    proc,
    lines,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

/** `name=count` pairs of a report line. */
export function counts(line: string): Record<string, number> {
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

async function drain(stream: ReadableStream<Uint8Array>, onText: (text: string) => void) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onText(decoder.decode(value, { stream: true }));
  }
}
