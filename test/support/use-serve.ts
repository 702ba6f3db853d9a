import { afterAll, beforeAll } from "bun:test";
import { startServeProcess, type ServeProcess } from "./serve-process.ts";
import { tempDirs } from "./temp.ts";

/** One `iot serve` process for the whole test file, in a temp data dir; stopped and removed after. */
export function useServeProcess(
  prefix: string,
  opts: Omit<Parameters<typeof startServeProcess>[0], "dataDir"> = {},
) {
  const dirs = tempDirs(prefix);
  const handle = {
    serve: undefined as unknown as ServeProcess,
    dirs,
    get http() {
      return `http://127.0.0.1:${handle.serve.httpPort}`;
    },
  };
  beforeAll(async () => {
    handle.serve = await startServeProcess({ dataDir: dirs.make(), ...opts });
  });
  afterAll(async () => {
    await handle.serve?.stop();
    dirs.cleanup();
  });
  return handle;
}
