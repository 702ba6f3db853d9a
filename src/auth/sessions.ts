/**
 * Dashboard sessions: `POST /login` trades an HTTP token for a random session id in a cookie, so
 * the long-lived token never sits in the browser. Only the id's hash is stored; a session
 * slides (each use moves its expiry `idleMs` on, at most `maxMs` after sign-in) and ends at
 * logout, at expiry, or when its token is revoked (the row goes with the token's).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../store/index.ts";
import { sessionRows } from "../store/tokens.ts";
import type { Role } from "./roles.ts";

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
  const id = randomBytes(32).toString("base64url");
  sessionRows.insert(
    db,
    { hash: hash(id), tokenId, createdAt: now, expiresAt: now + times.idleMs },
    now,
  );
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
  const row = sessionRows.live(db, hash(id), now);
  if (!row) return false;
  const next = Math.min(now + times.idleMs, row.createdAt + times.maxMs);
  if (next <= now) return false;
  // one write a minute at most, not one per request
  if (next - row.expiresAt > 60_000) sessionRows.extend(db, row.hash, next);
  return true;
}

/** The role of a live session's token (admin pages want `admin`); does not slide it. */
export function sessionRole(db: Db, id: string | undefined, now = Date.now()): Role | undefined {
  return id ? sessionRows.live(db, hash(id), now)?.role : undefined;
}

export function endSession(db: Db, id: string | undefined): void {
  if (id) sessionRows.delete(db, hash(id));
}
