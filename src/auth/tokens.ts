/**
 * Access tokens (`iot token create`): shown once, stored only as a SHA-256 hash. A device or
 * Kafka token is bound to its subject (the MQTT/Kafka username); an HTTP token to a person.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../store/index.ts";
import { tokens } from "../store/schema.ts";

export type TokenKind = "device" | "http" | "kafka";
export const tokenKinds: readonly TokenKind[] = ["device", "http", "kafka"];

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export function createToken(db: Db, kind: TokenKind, subject: string, now = Date.now()) {
  const id = randomBytes(6).toString("hex");
  const token = `iot_${kind}_${randomBytes(24).toString("base64url")}`;
  db.insert(tokens)
    .values({ id, kind, subject, hash: hash(token), createdAt: now })
    .run();
  return { id, token };
}

/** The token's row when it is valid for this kind (and subject, when one is named). */
export function verifyToken(db: Db, kind: TokenKind, token: string | undefined, subject?: string) {
  if (!token) return undefined;
  const wanted = Buffer.from(hash(token), "hex");
  const rows = db
    .select()
    .from(tokens)
    .where(
      subject === undefined
        ? eq(tokens.kind, kind)
        : and(eq(tokens.kind, kind), eq(tokens.subject, subject)),
    )
    .all();
  return rows.find((r) => timingSafeEqual(Buffer.from(r.hash, "hex"), wanted));
}

export function listTokens(db: Db) {
  return db
    .select({
      id: tokens.id,
      kind: tokens.kind,
      subject: tokens.subject,
      createdAt: tokens.createdAt,
    })
    .from(tokens)
    .all();
}

export function revokeToken(db: Db, id: string): boolean {
  return db.delete(tokens).where(eq(tokens.id, id)).returning().all().length > 0;
}
