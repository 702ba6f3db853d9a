import { main } from "../../src/main.ts";

/** `iot <argv>` in this process, its output and exit code captured. */
export async function runMain(argv: string[], env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}
