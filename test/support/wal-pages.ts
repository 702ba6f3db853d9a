/**
 * Which b-trees a SQLite commit wrote: the WAL's frames since a mark, each frame's page named by
 * `dbstat` (table or index, leaf or interior; page 1 and pointer-map pages by their role). The
 * WAL must not be checkpointed meanwhile (`PRAGMA wal_autocheckpoint = 0`, no other connection).
 */
import type { Database } from "bun:sqlite";
import { readFileSync, statSync } from "node:fs";

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export function walPages(sqlite: Database, path: string) {
  const pageSize = (sqlite.query("PRAGMA page_size").get() as { page_size: number }).page_size;
  const frame = FRAME_HEADER + pageSize;
  const frames = () => {
    const size = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    return Math.max(0, Math.floor((size - WAL_HEADER) / frame));
  };
  return {
    /** the frames written so far: the start of what `since` counts */
    mark: frames,
    /** the frames written after `mark`, by b-tree (`readings`, `readings_msg (interior)`, …) */
    since(mark: number): Map<string, number> {
      const wal = readFileSync(`${path}-wal`);
      const owner = new Map<number, string>();
      for (const r of sqlite.query("SELECT name, pageno, pagetype FROM dbstat").all() as Array<{
        name: string;
        pageno: number;
        pagetype: string;
      }>)
        owner.set(r.pageno, r.pagetype === "internal" ? `${r.name} (interior)` : r.name);
      const by = new Map<string, number>();
      for (let at = WAL_HEADER + mark * frame; at + frame <= wal.length; at += frame) {
        const page = wal.readUInt32BE(at);
        const name = page === 1 ? "page 1" : (owner.get(page) ?? "pointer map or free list");
        by.set(name, (by.get(name) ?? 0) + 1);
      }
      return by;
    },
  };
}
