/**
 * Dashboard sessions: `POST /login` trades an HTTP token for a random session id in a cookie, so
 * the long-lived token never sits in the browser. Only the id's hash is stored; a session
 * slides (each use moves its expiry `idleMs` on, at most `maxMs` after sign-in) and ends at
 * logout, at expiry, or when its token is revoked (the row goes with the token's).
 */
import { createHash, randomBytes } from "node:crypto";
import type { StoreEngine } from "../store/engine/index.ts";
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
export async function createSession(
  store: StoreEngine,
  tokenId: string,
  times: SessionTimes,
  now = Date.now(),
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await store.transaction((tx) =>
    tx.sessions.insert(
      { hash: hash(id), tokenId, createdAt: now, expiresAt: now + times.idleMs },
      now,
    ),
  );
  return id;
}

/** Whether the session is live (its token still an HTTP token); slides its expiry if so. */
export async function useSession(
  store: StoreEngine,
  id: string | undefined,
  times: SessionTimes,
  now = Date.now(),
): Promise<boolean> {
  if (!id) return false;
  const row = await store.read((q) => q.authReads.liveSession(hash(id), now));
  if (!row) return false;
  const next = Math.min(now + times.idleMs, row.createdAt + times.maxMs);
  if (next <= now) return false;
  // one write a minute at most, not one per request
  if (next - row.expiresAt > 60_000)
    await store.transaction((tx) => tx.sessions.extend(row.hash, next));
  return true;
}

/** The role of a live session's token (admin pages want `admin`); does not slide it. */
export async function sessionRole(
  store: StoreEngine,
  id: string | undefined,
  now = Date.now(),
): Promise<Role | undefined> {
  if (!id) return undefined;
  return (await store.read((q) => q.authReads.liveSession(hash(id), now)))?.role;
}

export async function endSession(store: StoreEngine, id: string | undefined): Promise<void> {
  if (id) await store.transaction((tx) => tx.sessions.delete(hash(id)));
}
