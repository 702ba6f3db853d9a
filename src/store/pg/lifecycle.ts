/**
 * The data lifecycle on PostgreSQL: the same roll-ups and retention as SQLite's
 * (src/store/rollups.ts, prune.ts, image-prune.ts), as PostgreSQL statements, each batch its own
 * short transaction. Several processes of a fleet may run the lifecycle: a pass runs only where
 * it holds a session advisory lock (the others skip theirs), and every batch takes a transaction
 * advisory lock as well, so two passes never interleave even if the session lock is lost with
 * its connection. No vacuum step (autovacuum gives the space back) and no file sizes: disk use
 * per kind is `pg_total_relation_size` (table, indexes, TOAST).
 */
import type { SQL } from "bun";
import type { LifecycleStore } from "../engine/lifecycle-types.ts";
import type { ImageVictim } from "../image-prune.ts";
import { prunable } from "../prune.ts";
import { rawSources, rollupMetrics, type RollupKind } from "../rollups.ts";
import { usageKinds, type KindUsage, type UsageKind } from "../usage.ts";
import type { PgStore } from "./db.ts";

/** advisory lock keys: one pass at a time across the fleet; one batch at a time */
const PASS_LOCK = 0x696f_7401; // "iot" 1
const BATCH_LOCK = 0x696f_7402;

type Tx = SQL;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

async function stateValue(tx: Tx, key: string): Promise<number | undefined> {
  const [r] = await tx`SELECT value FROM lifecycle_state WHERE key = ${key}`;
  return r ? Number(r.value) : undefined;
}
async function setStateValue(tx: Tx, key: string, value: number, keepHigher = false) {
  await tx.unsafe(
    `INSERT INTO lifecycle_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = ${
      keepHigher ? "greatest(lifecycle_state.value, excluded.value)" : "excluded.value"
    }`,
    [key, value],
  );
}
const rolledUpTo = async (tx: Tx, kind: RollupKind) =>
  (await stateValue(tx, `rollup:${kind}`)) ?? 0;

export function pgLifecycleStore(store: PgStore): LifecycleStore {
  const sql = store.client;
  /** one batch: its own transaction, one at a time across the fleet */
  const batch = <T>(fn: (tx: Tx) => Promise<T>) =>
    sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${BATCH_LOCK})`;
      return fn(tx as unknown as Tx);
    }) as Promise<T>;
  const guarded = async (tx: Tx, kind: string, cutoff: number) => {
    // raw readings go only once rolled up; the cut-off is recorded first (see prune.ts)
    if (kind !== "readings" && kind !== "rooms") return { guard: "", upTo: [] as number[] };
    await setStateValue(tx, `pruned:${kind}`, cutoff, true);
    return { guard: "AND id <= $4", upTo: [await rolledUpTo(tx, kind)] };
  };
  const victims = (rows: Array<Record<string, unknown>>): ImageVictim[] =>
    rows.map((r) => ({ id: Number(r.id), path: String(r.path), bytes: Number(r.bytes) }));

  return {
    async exclusive(pass) {
      const conn = await sql.reserve();
      try {
        const [got] = await conn`SELECT pg_try_advisory_lock(${PASS_LOCK}) AS ok`;
        if (!got?.ok) return undefined;
        try {
          return await pass();
        } finally {
          await conn`SELECT pg_advisory_unlock(${PASS_LOCK})`;
        }
      } finally {
        conn.release();
      }
    },
    async lastRawId(kind) {
      const [r] = await sql.unsafe(`SELECT max(id) AS m FROM ${rawSources[kind].table}`);
      return num(r?.m);
    },
    rollUpBatch: (kind, batchRows, upToId) =>
      batch(async (tx) => {
        const { table, series } = rawSources[kind];
        // ids are handed out before commit: wait for the inserts in flight (and hold new ones
        // for this short batch), so every id up to max(id) is committed and none is skipped
        await tx.unsafe(`LOCK TABLE ${table} IN SHARE MODE`);
        const lo = await rolledUpTo(tx, kind);
        const [top] = await tx.unsafe(`SELECT max(id) AS m FROM ${table}`);
        const hi = Math.min(num(top?.m), lo + Math.max(1, Math.floor(batchRows)), upToId);
        if (hi <= lo) return 0;
        for (const metric of rollupMetrics)
          await tx.unsafe(
            `INSERT INTO rollups (kind, series, metric, hour, value_count, value_sum, value_min, value_max)
             SELECT $1, ${series}::text, $2, ts - ts % 3600000 AS h, count(${metric}), sum(${metric}),
               min(${metric}), max(${metric})
             FROM ${table} WHERE id > $3 AND id <= $4 AND ${metric} IS NOT NULL
             GROUP BY ${series}, h
             ON CONFLICT (kind, series, metric, hour) DO UPDATE SET
               value_count = rollups.value_count + excluded.value_count,
               value_sum = rollups.value_sum + excluded.value_sum,
               value_min = least(rollups.value_min, excluded.value_min),
               value_max = greatest(rollups.value_max, excluded.value_max)`,
            [kind, metric, lo, hi],
          );
        await setStateValue(tx, `rollup:${kind}`, hi);
        return hi - lo;
      }),
    async idSpan(kind) {
      const [r] = await sql.unsafe(
        `SELECT min(id) AS lo, max(id) AS hi FROM ${prunable[kind].table}`,
      );
      if (r?.lo == null || r.hi == null) return [0, 0];
      let hi = Number(r.hi);
      if (kind === "readings" || kind === "rooms") hi = Math.min(hi, await rolledUpTo(sql, kind));
      return [Number(r.lo), hi];
    },
    pruneIdRange: (kind, from, span, cutoff) =>
      batch(async (tx) => {
        const { table, time } = prunable[kind];
        const { guard, upTo } = await guarded(tx, kind, cutoff);
        const deleted = await tx.unsafe(
          `DELETE FROM ${table} WHERE id >= $1 AND id < $2 AND ${time} <= $3 ${guard}`,
          [from, from + span, cutoff, ...upTo],
        );
        const [kept] = await tx.unsafe(
          `SELECT count(*) AS n FROM ${table} WHERE id >= $1 AND id < $2`,
          [from, from + span],
        );
        return { deleted: deleted.count, kept: num(kept?.n) };
      }),
    async groupsOf(kind) {
      const { table, group: c } = prunable[kind];
      const rows = await sql.unsafe(
        `WITH RECURSIVE g(v) AS (
           (SELECT min(${c}) FROM ${table})
           UNION ALL SELECT (SELECT min(${c}) FROM ${table} WHERE ${c} > g.v) FROM g WHERE g.v IS NOT NULL)
         SELECT v FROM g WHERE v IS NOT NULL`,
      );
      return rows.map((r: { v: string | number }) => r.v);
    },
    pruneGroupBatch: (kind, group, cutoff, limit) =>
      batch(async (tx) => {
        const { table, group: column, time } = prunable[kind];
        const { guard, upTo } = await guarded(tx, kind, cutoff);
        const r = await tx.unsafe(
          `DELETE FROM ${table} WHERE id IN (
             SELECT id FROM ${table} WHERE ${column} = $1 AND ${time} <= $2 ${guard} LIMIT $3)`,
          [group, cutoff, limit, ...upTo],
        );
        return r.count;
      }),
    pruneRollupsBatch: (cutoff, limit) =>
      batch(
        async (tx) =>
          (
            await tx`DELETE FROM rollups WHERE ctid IN (
              SELECT ctid FROM rollups WHERE hour <= ${cutoff} LIMIT ${limit})`
          ).count,
      ),
    pruneAlertsBatch: (cutoff, limit) =>
      batch(
        async (tx) =>
          (
            await tx`DELETE FROM alerts WHERE id IN (
              SELECT id FROM alerts WHERE state = 'cleared' AND created_at <= ${cutoff}
                AND coalesce(cleared_at, created_at) <= ${cutoff} LIMIT ${limit})`
          ).count,
      ),
    oldImages: async (deviceId, cutoff, limit) =>
      victims(
        await sql`SELECT id, path, bytes FROM images
          WHERE device_id = ${deviceId} AND ts <= ${cutoff} LIMIT ${limit}`,
      ),
    async imagesOverCap(capBytes, limit) {
      const [total] = await sql`SELECT sum(bytes) AS b FROM images`;
      let excess = num(total?.b) - capBytes;
      if (excess <= 0) return [];
      const out: ImageVictim[] = [];
      for (const v of victims(
        await sql`SELECT id, path, bytes FROM images ORDER BY ts, id LIMIT ${limit}`,
      )) {
        if (excess <= 0) break;
        out.push(v);
        excess -= v.bytes;
      }
      return out;
    },
    deleteImageRows: async (ids) =>
      ids.length === 0
        ? 0
        : batch(async (tx) => (await tx`DELETE FROM images WHERE id IN ${sql(ids)}`).count),
    async measure(at) {
      const kinds = {} as Record<UsageKind, KindUsage>;
      for (const [kind, table] of Object.entries(usageKinds) as Array<[UsageKind, string]>) {
        const [r] = await sql.unsafe(
          `SELECT count(*) AS n, pg_total_relation_size('${table}') AS b${
            kind === "images" ? ", (SELECT sum(bytes) FROM images) AS f" : ""
          } FROM ${table}`,
        );
        kinds[kind] = { rows: num(r?.n), dbBytes: num(r?.b), fileBytes: num(r?.f) };
      }
      const [db] = await sql`SELECT pg_database_size(current_database()) AS b`;
      return { kinds, dbBytes: num(db?.b), freeBytes: 0, at };
    },
  };
}
