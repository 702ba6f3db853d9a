/**
 * Access tokens (`iot token create`): shown once, stored only as a SHA-256 hash. A device or
 * Kafka token is bound to its subject (the MQTT/Kafka username); an HTTP token to a person.
 * Its role (src/auth/roles.ts) says what an MQTT or Kafka session with it may do. The rows live
 * in the store engine: the SQLite file, or PostgreSQL with `--database-url`.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { StoreEngine } from "../store/engine/index.ts";
import type { Principal, Role, TokenKind } from "./roles.ts";
import { subjectProblem } from "./subjects.ts";

export { tokenKinds, type TokenKind } from "./roles.ts";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Refused with a reason (a RangeError) when the subject is reserved or unusable. */
export async function createToken(
  store: StoreEngine,
  kind: TokenKind,
  subject: string,
  role: Role = "device",
  now = Date.now(),
) {
  const problem = subjectProblem(kind, subject);
  if (problem) throw new RangeError(problem);
  const id = randomBytes(6).toString("hex");
  const token = `iot_${kind}_${randomBytes(24).toString("base64url")}`;
  await store.transaction((tx) =>
    tx.tokens.insert({ id, kind, subject, role, hash: hash(token), createdAt: now }),
  );
  return { id, token };
}

/** The token's row when it is valid for this kind (and subject, when one is named). */
export async function verifyToken(
  store: StoreEngine,
  kind: TokenKind,
  token: string | undefined,
  subject?: string,
) {
  if (!token) return undefined;
  const wanted = Buffer.from(hash(token), "hex");
  const rows = await store.read((q) => q.authReads.tokensOfKind(kind, subject));
  return rows.find((r) => timingSafeEqual(Buffer.from(r.hash, "hex"), wanted));
}

/**
 * The MQTT/Kafka principal a username and token log in as, or null. A row whose subject is no
 * longer allowed (reserved, or made before subjects were checked) logs nobody in.
 */
export async function tokenPrincipal(
  store: StoreEngine,
  kind: "device" | "kafka",
  username: string | undefined,
  token: string | undefined,
): Promise<Principal | null> {
  if (username === undefined || subjectProblem(kind, username)) return null;
  const row = await verifyToken(store, kind, token, username);
  return row ? { subject: row.subject, role: row.role, tokenId: row.id } : null;
}

/** The ids of every token not revoked: live sessions are checked against it. */
export async function liveTokenIds(store: StoreEngine): Promise<Set<string>> {
  return new Set((await listTokens(store)).map((t) => t.id));
}

export function listTokens(store: StoreEngine) {
  return store.read((q) => q.authReads.tokenList());
}

export function revokeToken(store: StoreEngine, id: string): Promise<boolean> {
  return store.transaction((tx) => tx.tokens.delete(id));
}
