import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import type { Principal } from "./roles.ts";

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

/** What iot's own clients log in as: may do anything, and has no token to revoke. */
export const internalPrincipal: Principal = {
  subject: INTERNAL_USER,
  role: "admin",
  tokenId: null,
};

/** Is this iot's own client logging in (the internal user with the data dir's secret)? */
export function isInternalLogin(
  username: string | undefined,
  password: string | undefined,
  secret: string,
): boolean {
  if (username !== INTERNAL_USER || password === undefined) return false;
  const a = Buffer.from(password);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
