import { join } from "node:path";
import { compile } from "../../scripts/compile.ts";

const root = join(import.meta.dir, "../..");

/**
 * The `iot` executable users run, compiled for this machine (linux-x64) into `dir`: for tests
 * about the process itself (memory, descriptors). Takes a few seconds.
 */
export async function compileIot(dir: string): Promise<string> {
  const outfile = join(dir, "iot");
  await compile({ root, entry: join(root, "src/main.ts"), target: "linux-x64", outfile });
  return outfile;
}
