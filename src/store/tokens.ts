/** Token rows (only hashes) and dashboard session rows; src/auth/ makes and checks them. */
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "./db.ts";
import { sessions, tokens } from "./schema.ts";

export type TokenRecord = typeof tokens.$inferSelect;

export const tokenRows = {
  insert(db: Db, row: TokenRecord): void {
    db.insert(tokens).values(row).run();
  },
  /** Every token of this kind (and subject, when one is named). */
  ofKind(db: Db, kind: TokenRecord["kind"], subject?: string): TokenRecord[] {
    return db
      .select()
      .from(tokens)
      .where(
        subject === undefined
          ? eq(tokens.kind, kind)
          : and(eq(tokens.kind, kind), eq(tokens.subject, subject)),
      )
      .all();
  },
  ids: (db: Db): string[] =>
    db
      .select({ id: tokens.id })
      .from(tokens)
      .all()
      .map((r) => r.id),
  list: (db: Db): Array<Omit<TokenRecord, "hash">> =>
    db
      .select({
        id: tokens.id,
        kind: tokens.kind,
        subject: tokens.subject,
        role: tokens.role,
        createdAt: tokens.createdAt,
      })
      .from(tokens)
      .all(),
  /** Deletes the token (and with it its sessions); whether there was one. */
  delete: (db: Db, id: string): boolean =>
    db.delete(tokens).where(eq(tokens.id, id)).returning().all().length > 0,
};

export type SessionRecord = typeof sessions.$inferSelect;

export const sessionRows = {
  /** Adds a session, dropping those expired before `now` as it goes. */
  insert(db: Db, row: SessionRecord, now: number): void {
    db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
    db.insert(sessions).values(row).run();
  },
  /** The session with this hash, unexpired at `now`, whose token is still an HTTP token. */
  live: (db: Db, hash: string, now: number) =>
    db
      .select({
        hash: sessions.hash,
        createdAt: sessions.createdAt,
        expiresAt: sessions.expiresAt,
        role: tokens.role,
      })
      .from(sessions)
      .innerJoin(tokens, and(eq(tokens.id, sessions.tokenId), eq(tokens.kind, "http")))
      .where(and(eq(sessions.hash, hash), gt(sessions.expiresAt, now)))
      .get(),
  extend(db: Db, hash: string, expiresAt: number): void {
    db.update(sessions).set({ expiresAt }).where(eq(sessions.hash, hash)).run();
  },
  delete(db: Db, hash: string): void {
    db.delete(sessions).where(eq(sessions.hash, hash)).run();
  },
};
