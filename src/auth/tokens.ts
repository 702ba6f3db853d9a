/**
 * Access tokens (`iot token create`): shown once, stored only as a SHA-256 hash. A device or
 * Kafka token is bound to its subject (the MQTT/Kafka username); an HTTP token to a person.
 * Its role (src/auth/roles.ts) says what an MQTT or Kafka session with it may do.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../store/index.ts";
import { tokenRows } from "../store/tokens.ts";
import type { Principal, Role, TokenKind } from "./roles.ts";
import { subjectProblem } from "./subjects.ts";

export { tokenKinds, type TokenKind } from "./roles.ts";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Refused with a reason (a RangeError) when the subject is reserved or unusable. */
export function createToken(
  db: Db,
  kind: TokenKind,
  subject: string,
  role: Role = "device",
  now = Date.now(),
) {
  const problem = subjectProblem(kind, subject);
  if (problem) throw new RangeError(problem);
  const id = randomBytes(6).toString("hex");
  const token = `iot_${kind}_${randomBytes(24).toString("base64url")}`;
  tokenRows.insert(db, { id, kind, subject, role, hash: hash(token), createdAt: now });
  return { id, token };
}

/** The token's row when it is valid for this kind (and subject, when one is named). */
export function verifyToken(db: Db, kind: TokenKind, token: string | undefined, subject?: string) {
  if (!token) return undefined;
  const wanted = Buffer.from(hash(token), "hex");
  return tokenRows
    .ofKind(db, kind, subject)
    .find((r) => timingSafeEqual(Buffer.from(r.hash, "hex"), wanted));
}

/**
 * The MQTT/Kafka principal a username and token log in as, or null. A row whose subject is no
 * longer allowed (reserved, or made before subjects were checked) logs nobody in.
 */
export function tokenPrincipal(
  db: Db,
  kind: "device" | "kafka",
  username: string | undefined,
  token: string | undefined,
): Principal | null {
  if (username === undefined || subjectProblem(kind, username)) return null;
  const row = verifyToken(db, kind, token, username);
  return row ? { subject: row.subject, role: row.role, tokenId: row.id } : null;
}

/** The ids of every token not revoked: live sessions are checked against it. */
export function liveTokenIds(db: Db): Set<string> {
  return new Set(tokenRows.ids(db));
}

export function listTokens(db: Db) {
  return tokenRows.list(db);
}

export function revokeToken(db: Db, id: string): boolean {
  return tokenRows.delete(db, id);
}
