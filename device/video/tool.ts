/**
 * A video source backed by a long-running tool that writes MJPEG to stdout. Its output is cut
 * into frames by the splitter; if the tool dies on its own the error carries its stderr tail,
 * and stop() ends it (SIGTERM, then SIGKILL if it lingers).
 */
import type { Subprocess } from "bun";
import type { Logger } from "../../src/core/log/index.ts";
import { locateTool, tail, type Env } from "../tools/index.ts";
import type { VideoSource } from "../types.ts";
import { JpegSplitter } from "./splitter.ts";

export function toolVideo(cmd: string[], log: Logger, env?: Env): VideoSource {
  const [tool, ...args] = cmd;
  const path = locateTool(tool, env);
  /** the running tool; `stopping` marks an exit we asked for, which is not an error */
  let run: { child: Subprocess<"ignore", "pipe", "pipe">; stopping: boolean } | undefined;

  return {
    name: tool,
    start(onFrame, onError) {
      if (run) throw new Error(`${tool} video already started`);
      const child = Bun.spawn([path, ...args], {
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        env,
      });
      const current = { child, stopping: false };
      run = current;
      log.info("video started", { tool, pid: child.pid });
      let stderr = "";
      const pumpErr = (async () => {
        for await (const chunk of chunks(child.stderr))
          stderr = (stderr + Buffer.from(chunk).toString()).slice(-4000);
      })();
      const died = (err: Error) => {
        if (run === current) run = undefined; // start() may be called again
        if (!current.stopping) onError(err);
      };
      (async () => {
        const splitter = new JpegSplitter();
        for await (const chunk of chunks(child.stdout))
          for (const frame of splitter.push(chunk)) onFrame(frame);
        const code = await child.exited;
        await pumpErr.catch(() => {});
        died(new Error(`${tool} exited with code ${code}: ${tail(stderr)}`));
      })().catch((err) => {
        child.kill("SIGKILL"); // e.g. onFrame threw: do not leave the tool running unread
        died(err instanceof Error ? err : new Error(String(err)));
      });
    },
    async stop() {
      const current = run;
      if (!current) return;
      current.stopping = true;
      run = undefined;
      current.child.kill("SIGTERM");
      const timer = setTimeout(() => current.child.kill("SIGKILL"), 3_000);
      await current.child.exited;
      clearTimeout(timer);
      log.info("video stopped", { tool, pid: current.child.pid });
    },
  };
}

async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}
