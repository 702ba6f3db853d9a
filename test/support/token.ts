import { join } from "node:path";
import { run } from "./run.ts";

const main = join(import.meta.dir, "../../src/main.ts");

/** `iot token create` from source; the secret it printed (shown once), or a thrown reason. */
export async function createToken(
  dataDir: string,
  kind: string,
  subject: string,
  access?: "device" | "reader" | "admin",
): Promise<string> {
  const r = await run([
    process.execPath,
    main,
    "token",
    "create",
    "--data-dir",
    dataDir,
    "--kind",
    kind,
    "--subject",
    subject,
    ...(access ? ["--access", access] : []),
  ]);
  if (r.code !== 0 || !r.stderr.includes("shown only once"))
    throw new Error(`iot token create --kind ${kind} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}
