/**
 * The x64 `iot` binary built from this checkout into `dir` (not dist/, so tests running in
 * parallel do not overwrite each other's), for tests about the process users run.
 */
import { join } from "node:path";
import { compile } from "../../scripts/compile.ts";

const root = join(import.meta.dir, "../..");

export async function buildBinary(dir: string): Promise<string> {
  const outfile = join(dir, "iot");
  await compile({
    root,
    entry: join(root, "src/main.ts"),
    target: "linux-x64",
    outfile,
    define: { IOT_VERSION: JSON.stringify("0.0.0-test"), IOT_COMMIT: JSON.stringify("test") },
  });
  return outfile;
}
