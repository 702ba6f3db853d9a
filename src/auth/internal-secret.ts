import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

/** The user `iot` itself uses between its processes (bridge, consumers, collector). */
export const INTERNAL_USER = "iot-internal";

/** A per-data-dir secret for those internal clients, created once, readable by the owner only. */
export function internalSecret(dataDir: string): string {
  const path = join(dataDir, "internal.secret");
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(32).toString("base64url"), { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return readFileSync(path, "utf8").trim();
}
