/** Tokens and dashboard sessions on PostgreSQL (src/store/tokens.ts's). */
import { and, eq, gt, lt } from "drizzle-orm";
import type { AuthOps } from "../engine/types.ts";
import type { PgQueryable } from "./db.ts";
import { sessions, tokens } from "./schema.ts";

export function pgAuthOps(db: PgQueryable): AuthOps {
  return {
    tokens: {
      insert: async (row) => {
        await db.insert(tokens).values(row);
      },
      ofKind: (kind, subject) =>
        db
          .select()
          .from(tokens)
          .where(
            subject === undefined
              ? eq(tokens.kind, kind)
              : and(eq(tokens.kind, kind), eq(tokens.subject, subject)),
          ),
      list: () =>
        db
          .select({
            id: tokens.id,
            kind: tokens.kind,
            subject: tokens.subject,
            role: tokens.role,
            createdAt: tokens.createdAt,
          })
          .from(tokens),
      delete: async (id) =>
        (await db.delete(tokens).where(eq(tokens.id, id)).returning({ id: tokens.id })).length > 0,
    },
    sessions: {
      insert: async (row, now) => {
        await db.delete(sessions).where(lt(sessions.expiresAt, now));
        await db.insert(sessions).values(row);
      },
      live: async (hash, now) => {
        const [row] = await db
          .select({
            hash: sessions.hash,
            createdAt: sessions.createdAt,
            expiresAt: sessions.expiresAt,
            role: tokens.role,
          })
          .from(sessions)
          .innerJoin(tokens, and(eq(tokens.id, sessions.tokenId), eq(tokens.kind, "http")))
          .where(and(eq(sessions.hash, hash), gt(sessions.expiresAt, now)))
          .limit(1);
        return row;
      },
      extend: async (hash, expiresAt) => {
        await db.update(sessions).set({ expiresAt }).where(eq(sessions.hash, hash));
      },
      delete: async (hash) => {
        await db.delete(sessions).where(eq(sessions.hash, hash));
      },
    },
  };
}
