/**
 * A video source backed by a long-running tool that writes MJPEG to stdout. Its output is cut
 * into frames by the splitter; if the tool dies on its own the error carries its stderr tail,
 * and stop() ends it (SIGTERM, then SIGKILL if it lingers).
 */
import type { Subprocess } from "bun";
import type { Logger } from "../../src/log/index.ts";
import { locateTool, tail, type Env } from "../camera/capture.ts";
import type { VideoSource } from "../types.ts";
import { JpegSplitter } from "./splitter.ts";

export function toolVideo(cmd: string[], log: Logger, env?: Env): VideoSource {
  const [tool, ...args] = cmd;
  const path = locateTool(tool, env);
  let proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  let stopping = false;

  return {
    name: tool,
    start(onFrame, onError) {
      if (proc) throw new Error(`${tool} video already started`);
      stopping = false;
      const child = Bun.spawn([path, ...args], {
        stdin: "ignore",
        stdout: "pipe",
        stderr: "pipe",
        env,
      });
      proc = child;
      log.info("video started", { tool, pid: child.pid });
      let stderr = "";
      const pumpErr = (async () => {
        for await (const chunk of chunks(child.stderr))
          stderr = (stderr + Buffer.from(chunk).toString()).slice(-4000);
      })();
      (async () => {
        const splitter = new JpegSplitter();
        for await (const chunk of chunks(child.stdout))
          for (const frame of splitter.push(chunk)) onFrame(frame);
        const code = await child.exited;
        await pumpErr.catch(() => {});
        if (!stopping) onError(new Error(`${tool} exited with code ${code}: ${tail(stderr)}`));
      })().catch((err) => {
        if (!stopping) onError(err instanceof Error ? err : new Error(String(err)));
      });
    },
    async stop() {
      const child = proc;
      if (!child) return;
      stopping = true;
      proc = undefined;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await child.exited;
      clearTimeout(timer);
      log.info("video stopped", { tool, pid: child.pid });
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
