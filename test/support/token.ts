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

/** `iot token revoke` of the (first) token whose subject this is, as an operator would. */
export async function revokeTokenOf(dataDir: string, subject: string): Promise<void> {
  const list = await run([process.execPath, main, "token", "list", "--data-dir", dataDir]);
  const line = list.stdout.split("\n").find((l) => l.split(/\s+/)[2] === subject);
  if (!line) throw new Error(`no token for ${subject}: ${list.stdout}`);
  const r = await run([
    process.execPath,
    main,
    "token",
    "revoke",
    line.split(/\s+/)[0]!,
    "--data-dir",
    dataDir,
  ]);
  if (r.code !== 0) throw new Error(`iot token revoke failed (${r.code}): ${r.stderr}`);
}
