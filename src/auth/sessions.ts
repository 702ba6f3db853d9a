/**
 * Dashboard sessions: `POST /login` trades an HTTP token for a random session id in a cookie, so
 * the long-lived token never sits in the browser. Only the id's hash is stored; a session
 * slides (each use moves its expiry `idleMs` on, at most `maxMs` after sign-in) and ends at
 * logout, at expiry, or when its token is revoked (the row goes with the token's).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../store/index.ts";
import { sessions, tokens } from "../store/schema.ts";

export interface SessionTimes {
  /** a session unused this long ends (sliding) */
  idleMs: number;
  /** and none lives longer than this after sign-in */
  maxMs: number;
}

export const defaultSessionTimes: SessionTimes = {
  idleMs: 12 * 3600_000,
  maxMs: 7 * 24 * 3600_000,
};

const hash = (id: string) => createHash("sha256").update(id).digest("hex");

/** A new session for this token's row; the returned id goes into the cookie, nowhere else. */
export function createSession(db: Db, tokenId: string, times: SessionTimes, now = Date.now()) {
  db.delete(sessions).where(lt(sessions.expiresAt, now)).run(); // tidy as we go
  const id = randomBytes(32).toString("base64url");
  db.insert(sessions)
    .values({ hash: hash(id), tokenId, createdAt: now, expiresAt: now + times.idleMs })
    .run();
  return id;
}

/** Whether the session is live (its token still an HTTP token); slides its expiry if so. */
export function useSession(
  db: Db,
  id: string | undefined,
  times: SessionTimes,
  now = Date.now(),
): boolean {
  if (!id) return false;
  const row = db
    .select({ hash: sessions.hash, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(tokens, and(eq(tokens.id, sessions.tokenId), eq(tokens.kind, "http")))
    .where(and(eq(sessions.hash, hash(id)), gt(sessions.expiresAt, now)))
    .get();
  if (!row) return false;
  const next = Math.min(now + times.idleMs, row.createdAt + times.maxMs);
  if (next <= now) return false;
  // one write a minute at most, not one per request
  if (next - row.expiresAt > 60_000)
    db.update(sessions).set({ expiresAt: next }).where(eq(sessions.hash, row.hash)).run();
  return true;
}

export function endSession(db: Db, id: string | undefined): void {
  if (id)
    db.delete(sessions)
      .where(eq(sessions.hash, hash(id)))
      .run();
}
